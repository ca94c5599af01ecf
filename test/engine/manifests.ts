// Manifests of the test Applications, shaped like the team's in DESIGN.md: a PreSync migration Job
// (generateName), gRPC servers in wave 1, the REST API in wave 2, a PostSync smoke Job, and a SyncFail
// notification Job. The simulator plays the Jobs (`sim.gitwave.dev/outcome: fail` makes one fail).
import type { KubeObject } from '../../shared/model/object.ts';

const HOOK = 'argocd.argoproj.io/hook';
const WAVE = 'argocd.argoproj.io/sync-wave';

export function job(name: string, hook: string, options: { generateName?: boolean; fail?: boolean; seconds?: number; wave?: number } = {}): KubeObject {
  const annotations: Record<string, string> = { [HOOK]: hook, 'sim.gitwave.dev/duration': String(options.seconds ?? 0.2) };
  if (options.fail) annotations['sim.gitwave.dev/outcome'] = 'fail';
  if (options.wave !== undefined) annotations[WAVE] = String(options.wave);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...(options.generateName ? { generateName: `${name}-` } : { name }), annotations },
    spec: {
      backoffLimit: 0,
      template: { spec: { restartPolicy: 'Never', containers: [{ name, image: `registry.example/${name}:1` }] } },
    },
  };
}

export function deployment(name: string, wave: number, image = `registry.example/${name}:1`): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, annotations: { [WAVE]: String(wave) } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
    },
  };
}

export function configMap(name: string, data: Record<string, string> = { key: 'value' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

/** The team's app: migration before, gRPC then REST, smoke test after, a notification on failure. */
export function shopManifests(options: { failMigration?: boolean; image?: string } = {}): KubeObject[] {
  return [
    job('migrate', 'PreSync', { generateName: true, fail: options.failMigration }),
    deployment('grpc', 1),
    deployment('rest', 2, options.image),
    job('smoke', 'PostSync'),
    job('notify-failure', 'SyncFail'),
  ];
}
