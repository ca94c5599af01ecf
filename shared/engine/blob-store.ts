/**
 * The object store the sync engine keeps renders and plans in (S3 keys `rendered/<hash>.json`,
 * `plans/<app>/<syncId>.json`), as a two-verb port with an S3 adapter. Values are JSON text, so a
 * reader always gets its own copy. Tests and the local runtime plug fauxqs's S3 behind the same adapter.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** A bucket of JSON documents by key. */
export interface BlobStore {
  /** The text under `key`, or undefined when there is none. */
  get(key: string): Promise<string | undefined>;
  put(key: string, text: string): Promise<void>;
}

/** A document that should be there is not, or is not what it should be. */
export class BlobError extends Error {
  override readonly name = 'BlobError';
}

/**
 * The S3 adapter. `client` is built once per process (see shared/lambda/runtime.ts).
 * @example const blobs = s3BlobStore(new S3Client({}), 'gitwave-artifacts');
 */
export function s3BlobStore(client: S3Client, bucket: string): BlobStore {
  return {
    async get(key) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await answer.Body?.transformToString('utf8');
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async put(key, text) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json' }));
    },
  };
}

/**
 * The JSON document under `key`; a BlobError naming the key when it is missing or not JSON.
 * @example const plan = await readJson<PlanDocument>(blobs, 'plans/web/abc.json');
 */
export async function readJson<T>(blobs: BlobStore, key: string): Promise<T> {
  const text = await blobs.get(key);
  if (text === undefined) throw new BlobError(`document ${key} not found`);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new BlobError(`document ${key} is not valid json`, { cause: error });
  }
}

/** Writes `value` as JSON under `key`. */
export function writeJson(blobs: BlobStore, key: string, value: unknown): Promise<void> {
  return blobs.put(key, JSON.stringify(value));
}
