/**
 * What an Application contributes to a render: its source options and the `ARGOCD_APP_*` build
 * environment. Typed structurally, so the parsed `Application` of shared/model fits as it is.
 */
import { buildEnv } from './envsubst.ts';
import type { DirectorySourceOptions, KustomizeSourceOptions, RenderSourceOptions } from './types.ts';

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
