/**
 * The artifact bucket as the engine's BlobStore, on S3's REST API through aws-http.ts (GetObject,
 * PutObject) instead of the S3 client: what every function's `s3Blobs` port uses. Path-style
 * addressing on a custom endpoint (a local emulator), virtual-hosted on AWS's. A missing key is
 * `undefined`, as with the SDK adapter (shared/engine/blob-store.ts), which tests and the local
 * runtime still use.
 */
import type { BlobStore } from '../../engine/blob-store.ts';
import { answerError, awsHttpService, encodePath, type AwsHttpService } from './aws-http.ts';

/**
 * @example const blobs = s3HttpBlobStore('gitwave-artifacts'); await blobs.put('plans/web/1.json', '{}');
 */
export function s3HttpBlobStore(bucket: string, s3: AwsHttpService = awsHttpService('s3', 'S3', { uriEscapePath: false, applyChecksum: true })): BlobStore {
  const urlOf = (key: string): URL => {
    const path = encodePath(key.split('/'));
    if (s3.customEndpoint) return new URL(`${s3.customEndpoint.origin}${s3.customEndpoint.pathname.replace(/\/$/, '')}/${bucket}/${path}`);
    const suffix = s3.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return new URL(`https://${bucket}.s3.${s3.region}.${suffix}/${path}`);
  };
  return {
    async get(key) {
      const answer = await s3.send({ method: 'GET', url: urlOf(key) });
      if (answer.status === 200) return answer.body.toString('utf8');
      const error = answerError('S3 GetObject', answer);
      if (error.code === 'NoSuchKey') return undefined;
      throw error;
    },
    async put(key, text) {
      const answer = await s3.send({ method: 'PUT', url: urlOf(key), headers: { 'content-type': 'application/json' }, body: text });
      if (answer.status !== 200) throw answerError('S3 PutObject', answer);
    },
  };
}
