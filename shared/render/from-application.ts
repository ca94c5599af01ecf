/**
 * What an Application contributes to a render: its source options and the `ARGOCD_APP_*` build
 * environment. Typed structurally, so the parsed `Application` of shared/model fits as it is.
 */
import { normalizeRepoURL } from '../model/repo-url.ts';
import { buildEnv } from './envsubst.ts';
import type { DirectorySourceOptions, KustomizeSourceOptions, RenderRequest, RenderSourceOptions } from './types.ts';

/** The fields of an Application that rendering reads. */
export interface RenderableApplication {
  metadata: { name: string };
  spec: {
    project?: string;
    source: {
      repoURL?: string;
      path?: string;
      targetRevision?: string;
      kustomize?: KustomizeSourceOptions;
      directory?: DirectorySourceOptions;
    };
    destination: { namespace?: string };
  };
}

/** The source options of an Application (kustomize and directory blocks, as written). */
export function renderSourceOf(app: RenderableApplication): RenderSourceOptions {
  const { kustomize, directory } = app.spec.source;
  return { ...(kustomize ? { kustomize } : {}), ...(directory ? { directory } : {}) };
}

/**
 * The build environment Argo CD gives a render of this Application at `revision`.
 * @example buildEnvOf(app, 'abcdef0…').ARGOCD_APP_NAME // app.metadata.name
 */
export function buildEnvOf(app: RenderableApplication, revision: string): Record<string, string> {
  return buildEnv({
    appName: app.metadata.name,
    namespace: app.spec.destination.namespace,
    project: app.spec.project,
    revision,
    repoURL: app.spec.source.repoURL,
    path: app.spec.source.path,
    targetRevision: app.spec.source.targetRevision,
  });
}

/**
 * The render of an Application at commit `sha`, checked out in `checkoutDir` (shared/source): the
 * source path and options, the build environment, and the repository + commit that key the cache.
 * @example await renderer.render(renderRequestFor(app, checkout.dir, checkout.sha))
 */
export function renderRequestFor(app: RenderableApplication, checkoutDir: string, sha: string): RenderRequest {
  return {
    root: checkoutDir,
    path: app.spec.source.path ?? '.',
    source: renderSourceOf(app),
    env: buildEnvOf(app, sha),
    origin: { repo: normalizeRepoURL(app.spec.source.repoURL ?? ''), commit: sha },
  };
}
