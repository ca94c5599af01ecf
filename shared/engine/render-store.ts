/**
 * The render document (`rendered/<hash>.json`): what the render step wrote for one repository +
 * commit + path + source options, and what the plan step and the drift sweep read back as the
 * desired state. The hash is the render cache key (shared/render renderCacheKey: repo, commit, path,
 * options, build env when used, kustomize version), so a second render of the same input is a read.
 * Only documents that rendered AND passed validation are written; a refused render leaves nothing
 * behind but a status condition.
 */
import { BUCKET_PREFIXES } from '../config/resources.ts';
import type { RenderedObject, RenderResult, RenderSourceOptions } from '../render/types.ts';
import { BlobError, writeJson, type BlobStore } from './blob-store.ts';

/** Bump when the stored shape changes (the key changes with it, so old documents are never misread). */
export const RENDER_DOCUMENT_FORMAT = 1;

export interface RenderDocument {
  format: typeof RENDER_DOCUMENT_FORMAT;
  /** The cache key, also the file name. */
  key: string;
  /** The repository as registered (never a URL from a payload). */
  repoURL: string;
  /** The full commit SHA rendered. */
  revision: string;
  /** The source folder inside the repository. */
  path: string;
  /** The source options the render used (one-off overrides included). */
  source: RenderSourceOptions;
  type: RenderResult['type'];
  /** Rendered objects with the file and line each came from (no tracking annotation yet). */
  objects: RenderedObject[];
  warnings: string[];
  /** `gitwave-lint.yaml` at that commit, kept so a cache hit validates as the first render did. */
  lintConfig?: string;
  /** RFC 3339. */
  renderedAt: string;
}

/**
 * The S3 key of a render.
 * @example renderDocumentKey('3f…') // 'rendered/3f….json'
 */
export function renderDocumentKey(hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new BlobError('render keys are 64 hex characters');
  return `${BUCKET_PREFIXES.rendered}${hash}.json`;
}

/** The render under `key`, or undefined when there is none. A BlobError when it is not a render document. */
export async function findRenderDocument(blobs: BlobStore, key: string): Promise<RenderDocument | undefined> {
  const text = await blobs.get(key);
  return text === undefined ? undefined : checked(key, text);
}

/**
 * Reads and checks a render document; a BlobError naming the key and field when it is missing or malformed.
 * @example const render = await readRenderDocument(blobs, request.renderKey); render.objects.map((o) => o.object)
 */
export async function readRenderDocument(blobs: BlobStore, key: string): Promise<RenderDocument> {
  const doc = await findRenderDocument(blobs, key);
  if (!doc) throw new BlobError(`document ${key} not found`);
  return doc;
}

function checked(key: string, text: string): RenderDocument {
  let doc: RenderDocument;
  try {
    doc = JSON.parse(text) as RenderDocument;
  } catch (error) {
    throw new BlobError(`render ${key} is not valid json`, { cause: error });
  }
  if (typeof doc !== 'object' || doc === null) throw new BlobError(`render ${key}: not an object`);
  if (doc.format !== RENDER_DOCUMENT_FORMAT) throw new BlobError(`render ${key}: format ${String(doc.format)} is not ${RENDER_DOCUMENT_FORMAT}`);
  if (typeof doc.revision !== 'string' || !Array.isArray(doc.objects)) throw new BlobError(`render ${key}: field revision or objects is missing`);
  return doc;
}

/** Writes a render document under its key. */
export async function writeRenderDocument(blobs: BlobStore, doc: RenderDocument): Promise<string> {
  const key = renderDocumentKey(doc.key);
  await writeJson(blobs, key, doc);
  return key;
}
