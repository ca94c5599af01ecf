// A minimal Argo CD Application following `repoURL` at `targetRevision`, for the webhook tests.
export function applicationYaml(name: string, repoURL: string, targetRevision: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd }
spec:
  project: default
  source: { repoURL: "${repoURL}", targetRevision: "${targetRevision}", path: app }
  destination: { name: dev, namespace: ${name} }
`;
}
