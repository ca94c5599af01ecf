/**
 * What a queued request renders: the source and the revision to resolve, decided from the registry
 * and the stored operation request only (never from the message, SECURITY.md §1). A push or a drift
 * notice renders the Application's targetRevision as Git has it now (the latest commit wins, so a
 * burst of pushes coalesces on the head); a manual sync may name another revision and add one-off
 * image overrides; a rollback renders a history entry's revision with that entry's source (SPEC-sync
 * §7.3).
 */
import type { ApplicationSource } from '../model/application.ts';
import type { OperationStore } from '../store/ports.ts';
import type { OperationRequest } from './requests.ts';

/** The request cannot be rendered as asked; recorded as a condition, never retried. */
export class RenderTargetError extends Error {
  override readonly name = 'RenderTargetError';
}

export interface RenderTarget {
  source: ApplicationSource;
  /** What to resolve: a branch, tag, SHA or HEAD. */
  revision: string;
}

/**
 * The source and revision for a request.
 * @example await renderTarget(store, app.spec.source, undefined) // { source: app.spec.source, revision: app.spec.source.targetRevision }
 */
export async function renderTarget(store: Pick<OperationStore, 'listHistory'>, appName: string, spec: ApplicationSource, request?: OperationRequest): Promise<RenderTarget> {
  if (request?.rollbackId !== undefined) {
    const entry = (await store.listHistory(appName)).find((h) => h.id === request.rollbackId);
    if (!entry) throw new RenderTargetError(`application ${appName}: history entry ${request.rollbackId} not found`);
    return { source: entry.source, revision: entry.revision };
  }
  const source = withOverrides(appName, spec, request?.overrides);
  return { source, revision: request?.revision ?? spec.targetRevision };
}

/** `{ kustomize: { images: ['name=ref'] } }` or `{ images: [...] }`: what a manual sync may override. */
export function overrideImages(overrides: Record<string, unknown> | undefined): string[] {
  if (!overrides) return [];
  const kustomize = overrides.kustomize as { images?: unknown } | undefined;
  const images = kustomize?.images ?? overrides.images;
  if (images === undefined) return [];
  if (!Array.isArray(images) || images.some((i) => typeof i !== 'string' || i.trim() === '')) {
    throw new RenderTargetError('overrides.images must be a list of image references (name=new:tag)');
  }
  return images as string[];
}

/**
 * The source with one-off image overrides on top of the Application's own `kustomize.images`
 * (an override replaces the entry for the same image name).
 */
export function withOverrides(appName: string, spec: ApplicationSource, overrides?: Record<string, unknown>): ApplicationSource {
  const images = overrideImages(overrides);
  if (images.length === 0) return spec;
  if (spec.directory) throw new RenderTargetError(`application ${appName}: image overrides need a kustomize source, not a plain directory`);
  const named = new Set(images.map(imageName));
  const kept = (spec.kustomize?.images ?? []).filter((i) => !named.has(imageName(i)));
  const kustomize = { ...(spec.kustomize ?? emptyKustomize()), images: [...kept, ...images] };
  return { ...spec, kustomize };
}

/** The image an entry is about: `name` in `name=new:tag`, `name:tag`, `name@digest`. */
function imageName(entry: string): string {
  const [name] = entry.split('=');
  return name.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
}

function emptyKustomize(): NonNullable<ApplicationSource['kustomize']> {
  return {
    images: [], replicas: [], commonLabels: {}, forceCommonLabels: false, labelWithoutSelector: false, labelIncludeTemplates: false,
    commonAnnotations: {}, forceCommonAnnotations: false, commonAnnotationsEnvsubst: false, components: [], ignoreMissingComponents: false,
    patches: [], apiVersions: [],
  };
}
