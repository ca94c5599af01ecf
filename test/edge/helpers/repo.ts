// A real local Git repository for the edge tests, served by local/github-stub as a GitHub
// repository: files are written, committed with a fixed identity, and each commit's SHA returned.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const IDENTITY = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };

export interface TestRepo {
  dir: string;
  /** Writes the files (path → content; null deletes), commits on `branch` (default main) and returns the SHA. */
  commit(files: Record<string, string | null>, branch?: string): string;
  git(...args: string[]): string;
  remove(): void;
}

export function createRepo(): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'gitwave-edge-repo-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...IDENTITY } }).trim();
  git('init', '--quiet', '--initial-branch=main');
  let commits = 0;
  return {
    dir,
    git,
    commit(files, branch = 'main') {
      if (branch !== 'main') git('checkout', '--quiet', ...(git('branch', '--list', branch) ? [branch] : ['-b', branch]));
      for (const [path, content] of Object.entries(files)) {
        const file = join(dir, path);
        if (content === null) rmSync(file, { force: true });
        else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, content);
        }
      }
      git('add', '--all');
      git('commit', '--quiet', '--allow-empty', '-m', `commit ${++commits}: ${Object.keys(files).join(', ')}`);
      const sha = git('rev-parse', 'HEAD');
      if (branch !== 'main') git('checkout', '--quiet', 'main');
      return sha;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A Deployment that passes the default policy rules (resources, readinessProbe, pinned image). */
export function deployment(name: string, image = 'ghcr.io/acme/web:1.0.0', replicas = 1): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: ${name}
          image: ${image}
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { memory: 32Mi }
`;
}

export function configMap(name: string, data: Record<string, string>): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}
`;
}

export const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - config.yaml
`;

export function applicationYaml(name: string, opts: { repoURL?: string; targetRevision?: string; path?: string; cluster?: string; namespace?: string; automated?: boolean; selfHeal?: boolean } = {}): string {
  const automated = opts.automated ? `\n  syncPolicy:\n    automated: { prune: true, selfHeal: ${opts.selfHeal ?? false} }` : '';
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd }
spec:
  project: default
  source: { repoURL: "${opts.repoURL ?? 'https://github.com/acme/manifests.git'}", targetRevision: "${opts.targetRevision ?? 'main'}", path: ${opts.path ?? 'app'} }
  destination: { name: ${opts.cluster ?? 'dev'}, namespace: ${opts.namespace ?? name} }${automated}
`;
}

export function clusterYaml(name: string, labels: Record<string, string> = {}, kubeconfig?: { path: string; context?: string }): string {
  const labelText = Object.keys(labels).length ? `, labels: { ${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')} }` : '';
  return `apiVersion: gitwave.dev/v1alpha1
kind: Cluster
metadata: { name: ${name}${labelText} }
spec:
  kubeconfig: { context: ${kubeconfig?.context ?? 'sim'}${kubeconfig ? `, path: ${kubeconfig.path}` : ''} }
`;
}
