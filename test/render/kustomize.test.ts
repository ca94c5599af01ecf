/**
 * Rendering kustomizations of a repository shaped like the team's (api/<component>/service/{base,
 * overlays/<env>}) with the real kustomize: overlays, components, generators, the PreSync migration
 * Job with generateName, waves, provenance, and output equal as data to kustomize's own.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../shared/model/object.ts';
import { Renderer, type RenderedObject } from '../../shared/render/index.ts';
import { FIXTURE_REPO, makeTree, rawKustomize, removeTree } from './helpers.ts';
import { CONFORMANCE } from '../helpers/shared-data.ts';

const EXAMPLES = join(CONFORMANCE, 'argocd-example-apps');
const renderer = new Renderer();
const render = (path: string, source = {}): Promise<{ objects: RenderedObject[]; type: string }> =>
  renderer.render({ root: FIXTURE_REPO, path, source });

function find(objects: RenderedObject[], kind: string, name: string): RenderedObject {
  const found = objects.find((o) => o.object.kind === kind && (o.object.metadata.name ?? o.object.metadata.generateName) === name);
  assert.ok(found, `${kind}/${name} not rendered; got ${objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).join(', ')}`);
  return found;
}

function containers(object: KubeObject): Array<Record<string, unknown>> {
  return ((object.spec as any).template.spec.containers as Array<Record<string, unknown>>);
}

describe('kustomize sources', () => {
  it('renders the dev overlay of a component with images, replicas and patches from the overlay', async () => {
    const { objects, type } = await render('api/orders/service/overlays/dev');
    assert.equal(type, 'kustomize');
    const rest = find(objects, 'Deployment', 'orders-rest').object;
    assert.equal(containers(rest)[0].image, 'registry.example.com/orders/rest:2.4.0-rc.1');
    assert.equal((rest.spec as any).replicas, 1);
    assert.equal(find(objects, 'ConfigMap', 'orders-migrate').object.data && (find(objects, 'ConfigMap', 'orders-migrate').object.data as any).LOG_SQL, 'true');
    assert.equal(rest.metadata.labels?.['app.kubernetes.io/part-of'], 'orders');
  });

  it('keeps the PreSync migration Job as a generateName hook, which kustomize alone refuses', async () => {
    const { objects } = await render('api/orders/service/overlays/dev');
    const job = find(objects, 'Job', 'orders-migrate-').object;
    assert.equal(job.metadata.name, undefined);
    assert.equal(job.metadata.generateName, 'orders-migrate-');
    assert.equal(job.metadata.annotations?.['argocd.argoproj.io/hook'], 'PreSync');
  });

  it('applies namePrefix to a generateName the way it applies to a name', async () => {
    const { objects } = await render('api/orders/service/overlays/dev', { kustomize: { namePrefix: 'dev-' } });
    assert.equal(find(objects, 'Job', 'dev-orders-migrate-').object.metadata.generateName, 'dev-orders-migrate-');
    find(objects, 'Deployment', 'dev-orders-rest');
  });

  it('keeps the sync waves of the gRPC servers (1) and the REST API (2)', async () => {
    const { objects } = await render('api/orders/service/overlays/dev');
    const wave = (kind: string, name: string): string | undefined => find(objects, kind, name).object.metadata.annotations?.['argocd.argoproj.io/sync-wave'];
    assert.equal(wave('Deployment', 'orders-grpc'), '1');
    assert.equal(wave('Deployment', 'orders-rest'), '2');
  });

  it('names the file, document and line each object came from, and strips the origin annotations it used', async () => {
    const { objects } = await render('api/orders/service/overlays/dev');
    assert.deepEqual(find(objects, 'Deployment', 'orders-grpc').source, { file: 'api/orders/service/base/grpc.yaml', document: 1, line: 13 });
    assert.deepEqual(find(objects, 'Service', 'orders-grpc').source, { file: 'api/orders/service/base/grpc.yaml', document: 0, line: 2 });
    for (const { object } of objects) assert.equal(object.metadata.annotations?.['config.kubernetes.io/origin'], undefined);
  });

  it('renders the prod overlay with a component and a generated ConfigMap attributed to its kustomization', async () => {
    const { objects } = await render('api/orders/service/overlays/prod');
    const rest = find(objects, 'Deployment', 'orders-rest').object;
    assert.equal((rest.spec as any).template.metadata.annotations['tracing.example.com/enabled'], 'true');
    const generated = objects.find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name?.startsWith('orders-limits-'));
    assert.ok(generated);
    assert.equal(generated.source.file, 'api/orders/service/overlays/prod/kustomization.yaml');
    assert.equal((generated.object.data as any).MAX_ORDERS_PER_MINUTE, '600');
  });

  it('gives the same objects as kubectl kustomize, in the same order', async () => {
    const cases = [[FIXTURE_REPO, 'api/payments/service/overlays/dev'], [EXAMPLES, 'sock-shop'], [EXAMPLES, 'pre-post-sync']];
    for (const [root, path] of cases) {
      const { objects } = await renderer.render({ root, path });
      assert.deepEqual(objects.map((o) => o.object), rawKustomize(join(root, path)), path);
    }
  });

  it('keeps origin annotations a repository asked for itself', async () => {
    const root = makeTree({
      'app/kustomization.yaml': 'resources: [cm.yaml]\nbuildMetadata: [originAnnotations]\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    try {
      const { objects } = await new Renderer().render({ root, path: 'app' });
      assert.match(String(objects[0].object.metadata.annotations?.['config.kubernetes.io/origin']), /path: cm\.yaml/);
    } finally {
      removeTree(root);
    }
  });

  it('reports a kustomize failure with the kustomization named and no scratch path in the message', async () => {
    const root = makeTree({ 'app/kustomization.yaml': 'resources: [a.yaml]\nnameSuffix: [1]\n', 'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    try {
      await assert.rejects(new Renderer().render({ root, path: 'app' }), (error: Error) => {
        assert.match(error.message, /^app\/kustomization\.yaml: kustomize build failed: /);
        assert.doesNotMatch(error.message, /gitwave-render-|\/tmp\//);
        return true;
      });
    } finally {
      removeTree(root);
    }
  });
});
