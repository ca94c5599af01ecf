/**
 * The render step (render λ, one queued SyncRequestMessage at a time): re-read the Application and
 * its binding from the registry, resolve the revision to a full SHA in the registered repository,
 * render it (or read the same render back from S3: the key is repo + commit + path + options), check
 * it, write it, and hand it to the plan λ. It holds no cluster credentials and takes no lock.
 *
 * Outcomes: `planned`; `refused` when the input is at fault (source unavailable, a bad revision,
 * malformed manifests, failed checks, a binding the project forbids): recorded as a ComparisonError
 * condition naming file and line, the prior deploy untouched, the message done; `dropped` when there
 * is nothing left to do (the Application was deleted). Transient failures are thrown, so the message
 * comes back (and reaches the DLQ after maxReceiveCount).
 */
import { Renderer, RenderError, renderRequestFor, type RenderCache, type RendererOptions, type RenderRequest } from '../render/index.ts';
import { SourceError, withCheckout, type SourceReader } from '../source/index.ts';
import type { PlanResult, SyncRequestMessage, SyncTrigger } from './contracts.ts';
import type { SchemaValidator } from '../render/validate/validator.ts';
import type { Store } from '../store/ports.ts';
import { BindingError, loadBinding, type Binding } from './binding.ts';
import type { BlobStore } from './blob-store.ts';
import type { EngineLog } from './deps.ts';
import { observeStatus, StatusContendedError } from './observed-status.ts';
import type { Planner } from './planner.ts';
import { checkRender, readLintConfig, RenderRefusedError } from './render-request-checks.ts';
import { renderTarget, RenderTargetError, type RenderTarget } from './render-request-target.ts';
import { findRenderDocument, renderDocumentKey, writeRenderDocument, RENDER_DOCUMENT_FORMAT, type RenderDocument } from './render-store.ts';
import type { RequestStore } from './requests.ts';
import { helmCapabilities } from './capabilities.ts';
import { kustomizeHelmPolicy } from '../model/kustomize-helm.ts';

export interface RenderStepDeps {
  store: Store;
  blobs: BlobStore;
  requests: RequestStore;
  source: SourceReader;
  renderer: Renderer;
  planner: Planner;
  schemas?: () => Promise<SchemaValidator | undefined>;
  now?: () => number;
  log?: EngineLog;
}

export type RenderOutcome =
  | { outcome: 'planned'; revision: string; renderKey: string; cached: boolean; plan: PlanResult }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'dropped'; reason: string };

/**
 * The render step keeps validated renders in S3 itself, so the renderer's own cache only serves to
 * compute the key (it never hits and never stores).
 */
const KEY_ONLY: RenderCache = { get: async () => undefined, put: async () => undefined };

/** A renderer for the render step. */
export function renderStepRenderer(options: Omit<RendererOptions, 'cache'> = {}): Renderer {
  return new Renderer({ ...options, cache: KEY_ONLY });
}

/** Errors whose cause is the input, not the weather: recorded, never retried. */
function isRefusal(error: unknown): error is Error {
  if (error instanceof SourceError) return !error.retryable;
  return error instanceof RenderError || error instanceof RenderRefusedError || error instanceof RenderTargetError || error instanceof BindingError;
}

/**
 * Renders one request and hands it to the plan λ.
 * @example await runRenderRequest(deps, { app: 'web', sha, ref: 'refs/heads/main', deliveryId, trigger: 'webhook' })
 */
export async function runRenderRequest(deps: RenderStepDeps, message: SyncRequestMessage): Promise<RenderOutcome> {
  let binding: Binding | undefined;
  let revision: string | undefined;
  try {
    binding = await loadBinding(deps.store, message.app);
    const request = message.requestId ? await deps.requests.getRequest(message.app, message.requestId) : undefined;
    if (message.requestId && !request) return { outcome: 'dropped', reason: `operation request ${message.requestId} not found` };
    const target = await renderTarget(deps.store, message.app, binding.app.spec.source, request);
    revision = await resolve(deps, binding, target, message, request !== undefined);
    const { doc, cached } = await renderOrReuse(deps, binding, target, revision);
    await checkRender(doc, { app: binding.app, project: binding.project, schemas: await deps.schemas?.() });
    const renderKey = cached ? renderDocumentKey(doc.key) : await writeRenderDocument(deps.blobs, doc);
    const plan = await deps.planner.plan({ app: message.app, revision, renderKey, trigger: triggerOf(message), ...(message.requestId ? { requestId: message.requestId } : {}) });
    return { outcome: 'planned', revision, renderKey, cached, plan };
  } catch (error) {
    if (error instanceof BindingError && !(await deps.store.getApplication(message.app))) return { outcome: 'dropped', reason: error.message };
    if (!isRefusal(error)) throw error;
    const reason = refusalMessage(error, revision);
    await recordRefusal(deps, message.app, error, reason);
    return { outcome: 'refused', reason };
  }
}

/** Marks the conditions the render step records, so a sweep that compares an older state keeps them. */
export const RENDER_REFUSAL_PREFIX = 'failed to generate manifests';

/** `failed to generate manifests at <sha>: <reason>` (the SHA when it was resolved). */
function refusalMessage(error: Error, revision: string | undefined): string {
  return `${RENDER_REFUSAL_PREFIX}${revision ? ` at ${revision}` : ''}: ${error.message}`;
}

/** Whether a status condition is a render refusal; with `revision`, one about that commit. */
export function isRenderRefusal(condition: { message: string }, revision?: string): boolean {
  return condition.message.startsWith(revision ? `${RENDER_REFUSAL_PREFIX} at ${revision}:` : RENDER_REFUSAL_PREFIX);
}

function triggerOf(message: SyncRequestMessage): SyncTrigger {
  return message.trigger ?? (message.deliveryId ? 'webhook' : 'drift');
}

/** The full SHA to render: what Git says now, so older pushes coalesce on the head. */
async function resolve(deps: RenderStepDeps, binding: Binding, target: RenderTarget, message: SyncRequestMessage, manual: boolean): Promise<string> {
  // A chart repository has no commits: the exact chart version is the revision (as in Argo CD).
  if (target.source.chart !== undefined) return target.source.targetRevision;
  const sha = await deps.source.resolveRevision(target.source.repoURL, target.revision);
  if (!manual && message.sha && message.sha.toLowerCase() !== sha) {
    deps.log?.('info', 'rendering the current head instead of the pushed commit', { app: binding.app.metadata.name, pushed: message.sha, head: sha });
  }
  return sha;
}

function renderRequestOf(binding: Binding, target: RenderTarget, revision: string): Omit<RenderRequest, 'root'> {
  const { root: _root, ...request } = renderRequestFor({ ...binding.app, spec: { ...binding.app.spec, source: target.source } }, '', revision);
  return request;
}

/** The render from S3 when this exact input was rendered and checked before; else a fresh render. */
async function renderOrReuse(deps: RenderStepDeps, binding: Binding, target: RenderTarget, revision: string): Promise<{ doc: RenderDocument; cached: boolean }> {
  const cluster = helmCapabilities(await deps.store.getClusterCapabilities(binding.cluster.name));
  // The project decides whether kustomize may inflate helmCharts, and from which chart repositories.
  const request = { ...renderRequestOf(binding, target, revision), ...(cluster ? { cluster } : {}), kustomizeHelm: kustomizeHelmPolicy(binding.project) };
  const key = await deps.renderer.cacheKey({ ...request, root: '' });
  if (key === undefined) throw new Error('the render step needs a renderer with a cache key (renderStepRenderer)');
  const found = await findRenderDocument(deps.blobs, renderDocumentKey(key));
  if (found) return { doc: found, cached: true };
  const renderIn = async (dir: string) => {
    const lintConfig = dir === '' ? undefined : await readLintConfig(dir);
    const result = await deps.renderer.render({ ...request, root: dir });
    return {
      format: RENDER_DOCUMENT_FORMAT, key, repoURL: target.source.repoURL, revision, path: target.source.path,
      source: request.source ?? {}, type: result.type, objects: result.objects, warnings: result.warnings,
      ...(lintConfig === undefined ? {} : { lintConfig }), renderedAt: new Date((deps.now ?? Date.now)()).toISOString(),
    } satisfies RenderDocument;
  };
  const doc = target.source.chart !== undefined ? await renderIn('')
    : await withCheckout(deps.source, target.source.repoURL, revision, (checkout) => renderIn(checkout.dir));
  return { doc, cached: false };
}

/**
 * A refused render as status: sync Unknown with a ComparisonError condition (file and line in the
 * message), the revision last compared kept. Written also while a sync holds the cluster; if the
 * status keeps changing meanwhile, the drift sweep notices the commit again and re-queues it.
 */
async function recordRefusal(deps: RenderStepDeps, app: string, error: Error, message: string): Promise<void> {
  const now = new Date((deps.now ?? Date.now)()).toISOString();
  const type = error instanceof BindingError || error instanceof RenderTargetError ? 'InvalidSpecError' : 'ComparisonError';
  try {
    await observeStatus(deps.store, app, async (previous) => {
      const revision = previous?.sync?.revision;
      return { status: { sync: { status: 'Unknown', ...(revision ? { revision } : {}) }, conditions: [{ type, message, lastTransitionTime: now }], reconciledAt: now }, value: undefined };
    });
  } catch (failure) {
    if (!(failure instanceof StatusContendedError)) throw failure;
    deps.log?.('warn', 'render refusal not recorded: the status kept changing', { app });
  }
  deps.log?.('warn', 'render refused', { app, type, reason: message });
}
