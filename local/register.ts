/**
 * What the local runtime registers at start, through the same store the API writes to: the `local`
 * cluster (the simulator, or the kubeconfig context given) and the sample repository's Argo CD
 * Applications, as they are written in the repository. Applications already registered are left as
 * they are, so a restart keeps what people changed through the API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApplication } from '../shared/model/application.ts';
import { parseClusterObject } from '../shared/model/cluster.ts';
import { createStore, trackedRefOf } from '../shared/store/index.ts';
import { ENV, requiredEnv } from '../shared/config/env.ts';
import { SAMPLE_APPLICATIONS } from './sample-repo/create.ts';

export const LOCAL_CLUSTER = 'local';

function store() {
  return createStore({ tableName: requiredEnv(ENV.TABLE_NAME), endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
}

export async function registerLocalCluster(kubeconfig: string, context = 'gitwave-sim'): Promise<void> {
  const cluster = parseClusterObject({
    apiVersion: 'gitwave.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: LOCAL_CLUSTER, labels: { env: 'dev' } },
    spec: { kubeconfig: { context, path: kubeconfig } },
  }, 'local runtime');
  await store().putCluster(cluster);
}

export async function registerSampleApplications(repo: string): Promise<string[]> {
  const registry = store();
  const names: string[] = [];
  for (const file of SAMPLE_APPLICATIONS) {
    const text = readFileSync(join(repo, file), 'utf8');
    const app = parseApplication(text, file);
    names.push(app.metadata.name);
    if (await registry.getApplication(app.metadata.name)) continue;
    await registry.putApplication(app, { sourceYaml: text, trackedRef: trackedRefOf(app.spec.source.targetRevision) });
  }
  return names;
}
