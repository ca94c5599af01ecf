/**
 * Teams on one cluster for the end-to-end tests of the cluster's one writer: a shared kustomize base
 * (a PreSync hook Job, a ConfigMap in wave 0, a Deployment in wave 1) and one Application per team,
 * each deploying its overlay of the base into its own namespace.
 */
import { LOCAL_CLUSTER } from '../../../local/register.ts';

/** `team-00`, `team-01`, … */
export const teamNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `team-${String(i).padStart(2, '0')}`);

/** Each team's overlay: the base as it is. */
export const overlays = (teams: readonly string[]): Record<string, string> =>
  Object.fromEntries(teams.map((app) => [`teams/overlays/${app}/kustomization.yaml`, 'resources: [../../base]\n']));

export const BASE = 'teams/base';
/** What the policy lint asks of every container (shared/render). */
export const RESOURCES = 'resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }';

/** The shared base: a PreSync hook Job, a ConfigMap in wave 0, a Deployment in wave 1. */
export function baseFiles(release: string): Record<string, string> {
  return {
    [`${BASE}/kustomization.yaml`]: 'resources: [migrate.yaml, config.yaml, deployment.yaml]\n',
    [`${BASE}/migrate.yaml`]: [
      'apiVersion: batch/v1', 'kind: Job', 'metadata:', '  generateName: migrate-',
      '  annotations: { argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/hook-delete-policy: BeforeHookCreation, sim.gitwave.dev/duration: "0.1" }',
      'spec:', '  backoffLimit: 0', '  template:', '    spec:', '      restartPolicy: Never',
      `      containers: [{ name: migrate, image: "ghcr.io/gitwave-demo/migrate:1.0.0", ${RESOURCES} }]`, '',
    ].join('\n'),
    [`${BASE}/config.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  RELEASE: "${release}"\n`,
    [`${BASE}/deployment.yaml`]: [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  annotations: { argocd.argoproj.io/sync-wave: "1" }',
      'spec:', '  replicas: 1', '  selector: { matchLabels: { app: web } }', '  template:',
      `    metadata: { labels: { app: web }, annotations: { teams.gitwave.dev/release: "${release}" } }`,
      `    spec: { containers: [{ name: web, image: "nginx:1.27", readinessProbe: { httpGet: { path: /, port: 80 } }, ${RESOURCES} }] }`, '',
    ].join('\n'),
  };
}

export function applicationYaml(name: string, repoUrl: string, retryLimit = 1): string {
  return [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Application', `metadata: { name: ${name}, namespace: argocd }`, 'spec:', '  project: default',
    `  source: { repoURL: "${repoUrl}", targetRevision: main, path: teams/overlays/${name} }`,
    `  destination: { name: ${LOCAL_CLUSTER}, namespace: ${name} }`,
    // Few retries: a failing team's attempts stay few, and stay its own.
    `  syncPolicy: { automated: { prune: true }, syncOptions: [CreateNamespace=true], retry: { limit: ${retryLimit}, backoff: { duration: 1s } } }`, '',
  ].join('\n');
}

