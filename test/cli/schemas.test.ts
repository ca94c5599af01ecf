/**
 * `gitwave schemas pull` against the simulator serving the shared v1.32 documents: the pulled folder
 * has the layout `--schemas` reads, each document equal to the one the cluster serves, custom resource
 * documents included, and it validates objects exactly as the original folder does. Errors: a missing
 * context (exit 1, named), no `--out` (exit 2).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type RunningSimulator } from '../../local/kube-sim/index.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { SchemaValidator } from '../../shared/render/validate/validator.ts';
import { K8S_SCHEMAS } from '../helpers/shared-data.ts';
import { gitwave } from './helpers.ts';

const CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
  },
};

/** Valid and invalid objects of a few kinds: the two folders must judge each the same way. */
const SAMPLES: KubeObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { k: 1 } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' }, spec: { ports: [{ port: 80 }], colour: 'red' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'two', selector: {}, template: { spec: { containers: [{ name: 'x', image: 'x:1' }] } } } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'e' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'x', image: 'x:1' }] } } } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'f' }, spec: { schedule: '* * * * *', suspend: 'yes', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'x' }], restartPolicy: 'Never' } } } } } },
];

const listFiles = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json.gz')).sort();
const json = (file: string) => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));

describe('gitwave schemas pull', () => {
  let sim: RunningSimulator;
  let dir: string;
  let out: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gitwave-schemas-'));
    out = join(dir, 'pulled');
    sim = await startSimulator({ port: 0, schemasDir: K8S_SCHEMAS, crdDelaySeconds: 0, kubeconfigPath: join(dir, 'kubeconfig'), log: () => {} });
    const kube = connectKubeconfig({ path: sim.kubeconfigPath });
    await kube.apply(CRD);
    await kube.close();
  });
  after(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every group-version the cluster serves, gzipped, in the layout --schemas reads', async () => {
    const run = await gitwave(['schemas', 'pull', '--kubeconfig', sim.kubeconfigPath!, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    const files = listFiles(out);
    assert.match(run.stdout, new RegExp(`^wrote ${files.length} OpenAPI v3 documents .*to ${out}\\n$`));
    for (const expected of ['api/v1.json.gz', 'apis/apps/v1.json.gz', 'apis/batch/v1.json.gz', 'apis/example.com/v1.json.gz']) assert.ok(files.includes(expected), expected);
    // The cluster's own documents: the built-in ones are the shared files the simulator serves, byte for byte as JSON.
    for (const file of files.filter((f) => f !== 'apis/example.com/v1.json.gz')) {
      assert.deepEqual(json(join(out, file)), json(join(K8S_SCHEMAS, file)), file);
    }
  });

  it('validates objects as the original folder does, and custom resources against their CRD', async () => {
    const pulled = await SchemaValidator.open(out);
    const original = await SchemaValidator.open(K8S_SCHEMAS);
    const verdicts = [];
    for (const object of SAMPLES) {
      const mine = await pulled.validate(object, new Map());
      assert.deepEqual(mine, await original.validate(object, new Map()), `${object.kind} ${object.metadata.name}`);
      verdicts.push(mine.status);
    }
    assert.deepEqual(verdicts, ['valid', 'invalid', 'invalid', 'invalid', 'valid', 'invalid']);
    const widget = (size: unknown): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size } });
    assert.equal((await pulled.validate(widget(3), new Map())).status, 'valid');
    assert.equal((await pulled.validate(widget('big'), new Map())).status, 'invalid');
  });

  it('names a context the kubeconfig does not have (exit 1), and wants --out (exit 2)', async () => {
    const missing = await gitwave(['schemas', 'pull', '--kubeconfig', sim.kubeconfigPath!, '--context', 'nope', '--out', join(dir, 'x')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no context "nope"/);
    const usage = await gitwave(['schemas', 'pull', '--kubeconfig', sim.kubeconfigPath!]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--out/);
  });
});
