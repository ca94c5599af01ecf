/**
 * Whether an AppProject lets kustomize inflate Helm charts (`helmCharts`, kustomize's `--enable-helm`).
 * Argo CD turns this on for every Application at once (`kustomize.buildOptions: --enable-helm` in
 * argocd-cm); gitwave keeps it off and lets an admin allow it per project with an annotation, so an
 * AppProject stays a valid Argo CD document and only those who register projects (admins) widen it.
 * What the render step needs of the project: its name (for messages), the switch, and `sourceRepos`,
 * which applies to every chart repository a kustomization names (docs/helm.md).
 */
import type { AppProject } from './appproject.ts';

/** On an AppProject: `"true"` lets its Applications' kustomizations use `helmCharts`. */
export const KUSTOMIZE_HELM_ANNOTATION = 'gitwave.dev/kustomize-helm';

/** The project facts a kustomize render with `helmCharts` is checked against. */
export interface KustomizeHelmPolicy {
  project: string;
  allowed: boolean;
  sourceRepos: readonly string[];
}

/**
 * The kustomize Helm policy of a project.
 * @example kustomizeHelmPolicy(project) // { project: 'addons', allowed: true, sourceRepos: ['https://charts.example/*'] }
 */
export function kustomizeHelmPolicy(project: AppProject): KustomizeHelmPolicy {
  const allowed = project.metadata.annotations?.[KUSTOMIZE_HELM_ANNOTATION]?.trim().toLowerCase() === 'true';
  return { project: project.metadata.name, allowed, sourceRepos: project.spec.sourceRepos };
}
