/**
 * What an Application contributes to a render: its source options and the `ARGOCD_APP_*` build
 * environment. Typed structurally, so the parsed `Application` of shared/model fits as it is.
 */
import { normalizeRepoURL } from '../model/repo-url.ts';
import { buildEnv } from './envsubst.ts';
import type { DirectorySourceOptions, HelmSourceOptions, KustomizeSourceOptions, RenderRequest, RenderSourceOptions } from './types.ts';

/** The fields of an Application that rendering reads. */
export interface RenderableApplication {
  metadata: { name: string };
  spec: {
    project?: string;
    source: {
      repoURL?: string;
      path?: string;
      targetRevision?: string;
      chart?: string;
      kustomize?: KustomizeSourceOptions;
      directory?: DirectorySourceOptions;
      helm?: HelmSourceOptions;
    };
    destination: { namespace?: string };
  };
}

/** The source options of an Application (kustomize, directory and helm blocks, as written; the chart). */
export function renderSourceOf(app: RenderableApplication): RenderSourceOptions {
  const { kustomize, directory, helm, chart, repoURL, targetRevision } = app.spec.source;
  return {
    ...(kustomize ? { kustomize } : {}),
    ...(directory ? { directory } : {}),
    ...(helm ? { helm } : {}),
    ...(chart ? { chart: { repoURL: repoURL ?? '', chart, version: targetRevision ?? '' } } : {}),
  };
}

/** Whether the Application's source is a chart repository (nothing to check out of Git). */
export function isChartRepositorySource(app: RenderableApplication): boolean {
  return app.spec.source.chart !== undefined;
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
 * source path and options, the build environment, the repository + commit that key the cache (for
 * a chart repository: its URL + `chart@version`), and the name and namespace Helm uses by default.
 * @example await renderer.render(renderRequestFor(app, checkout.dir, checkout.sha))
 */
export function renderRequestFor(app: RenderableApplication, checkoutDir: string, sha: string): RenderRequest {
  const { chart, targetRevision } = app.spec.source;
  return {
    root: checkoutDir,
    path: app.spec.source.path ?? '.',
    source: renderSourceOf(app),
    env: buildEnvOf(app, sha),
    // A chart repository has no commit: the chart name and exact version identify what is rendered.
    origin: { repo: normalizeRepoURL(app.spec.source.repoURL ?? ''), commit: chart ? `${chart}@${targetRevision ?? ''}` : sha },
    appName: app.metadata.name,
    ...(app.spec.destination.namespace ? { namespace: app.spec.destination.namespace } : {}),
  };
}
