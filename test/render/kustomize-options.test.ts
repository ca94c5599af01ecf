/**
 * Every `spec.source.kustomize` option end to end through the real kustomize: what comes out is what
 * Argo CD's `kustomize edit` + `kustomize build` would give.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../shared/model/object.ts';
import { Renderer, type KustomizeSourceOptions, type RenderResult } from '../../shared/render/index.ts';
import { configMap, deployment, makeTree, removeTree } from './helpers.ts';

let root: string;
const renderer = new Renderer();
const render = (kustomize: KustomizeSourceOptions, env = {}): Promise<RenderResult> =>
  renderer.render({ root, path: 'app/overlays/dev', source: { kustomize }, env });
const byKind = (result: RenderResult, kind: string): KubeObject => result.objects.find((o) => o.object.kind === kind)!.object;

before(() => {
  root = makeTree({
    'app/base/kustomization.yaml': 'resources: [web.yaml, cm.yaml]\n',
    'app/base/web.yaml': deployment('web'),
    'app/base/cm.yaml': configMap('settings'),
    'app/overlays/dev/kustomization.yaml': 'resources: [../../base]\ncommonLabels: {tier: web}\nimages:\n  - name: registry.example.com/web\n    newTag: \'1.10\' # quoted, as kustomize requires\n',
    'app/overlays/dev/scale.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 4}\n',
    'app/components/debug/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations: {debug: "on"}\n',
  });
});
after(() => removeTree(root));

describe('kustomize options through kustomize', () => {
  it('namePrefix and nameSuffix rename objects and the references to them', async () => {
    const result = await render({ namePrefix: 'dev-', nameSuffix: '-v2' });
    assert.deepEqual(result.objects.map((o) => o.object.metadata.name).sort(), ['dev-settings-v2', 'dev-web-v2']);
  });

  it('images override the container image', async () => {
    const result = await render({ images: ['registry.example.com/web=mirror.example.com/web:2.0.0'] });
    assert.equal((byKind(result, 'Deployment').spec as any).template.spec.containers[0].image, 'mirror.example.com/web:2.0.0');
  });

  it('images take a digest and ARGOCD_APP_* variables', async () => {
    const result = await render({ images: ['registry.example.com/web:${ARGOCD_APP_REVISION_SHORT}'] }, { ARGOCD_APP_REVISION_SHORT: '1a2b3c4' });
    assert.equal((byKind(result, 'Deployment').spec as any).template.spec.containers[0].image, 'registry.example.com/web:1a2b3c4');
    const pinned = await render({ images: ['registry.example.com/web@sha256:0123'] });
    assert.equal((byKind(pinned, 'Deployment').spec as any).template.spec.containers[0].image, 'registry.example.com/web@sha256:0123');
  });

  it('what the Application does not change is read as in the original (newTag \'1.10\' stays a string)', async () => {
    for (const options of [{}, { namePrefix: 'p-' }, { images: ['other:1'] }]) {
      const result = await render(options);
      assert.equal((byKind(result, 'Deployment').spec as any).template.spec.containers[0].image, 'registry.example.com/web:1.10', JSON.stringify(options));
    }
  });

  it('replicas set the replica count', async () => {
    assert.equal((byKind(await render({ replicas: [{ name: 'web', count: 3 }] }), 'Deployment').spec as any).replicas, 3);
  });

  it('commonLabels reach selectors; forceCommonLabels overrides a label the kustomization sets', async () => {
    const result = await render({ commonLabels: { team: 'orders' } });
    const spec = byKind(result, 'Deployment').spec as any;
    assert.equal(spec.selector.matchLabels.team, 'orders');
    await assert.rejects(render({ commonLabels: { tier: 'api' } }), /label tier already in kustomization file/);
    assert.equal(byKind(await render({ commonLabels: { tier: 'api' }, forceCommonLabels: true }), 'ConfigMap').metadata.labels?.tier, 'api');
  });

  it('labelWithoutSelector leaves selectors alone; labelIncludeTemplates labels the pod template', async () => {
    const plain = byKind(await render({ commonLabels: { team: 'orders' }, labelWithoutSelector: true }), 'Deployment');
    assert.equal(plain.metadata.labels?.team, 'orders');
    assert.equal((plain.spec as any).selector.matchLabels.team, undefined);
    assert.equal((plain.spec as any).template.metadata.labels.team, undefined);
    const templated = byKind(await render({ commonLabels: { team: 'orders' }, labelWithoutSelector: true, labelIncludeTemplates: true }), 'Deployment');
    assert.equal((templated.spec as any).template.metadata.labels.team, 'orders');
    assert.equal((templated.spec as any).selector.matchLabels.team, undefined);
  });

  it('commonAnnotations, with ${ARGOCD_APP_*} substitution only when asked', async () => {
    const env = { ARGOCD_APP_NAME: 'web-dev' };
    const raw = await render({ commonAnnotations: { owner: '${ARGOCD_APP_NAME}' } }, env);
    assert.equal(byKind(raw, 'ConfigMap').metadata.annotations?.owner, '${ARGOCD_APP_NAME}');
    const substituted = await render({ commonAnnotations: { owner: '${ARGOCD_APP_NAME}' }, commonAnnotationsEnvsubst: true }, env);
    assert.equal(byKind(substituted, 'ConfigMap').metadata.annotations?.owner, 'web-dev');
  });

  it('namespace sets the namespace of every namespaced object', async () => {
    const result = await render({ namespace: 'team-a' });
    assert.deepEqual(result.objects.map((o) => o.object.metadata.namespace), ['team-a', 'team-a']);
  });

  it('patches: inline with a target, and a file next to the kustomization', async () => {
    const inline = await render({ patches: [{ target: { kind: 'ConfigMap' }, patch: '- op: add\n  path: /data/b\n  value: "2"\n' }] });
    assert.deepEqual(byKind(inline, 'ConfigMap').data, { a: '1', b: '2' });
    const fromFile = await render({ patches: [{ path: 'scale.yaml' }] });
    assert.equal((byKind(fromFile, 'Deployment').spec as any).replicas, 4);
  });

  it('components are added; a missing one fails unless ignoreMissingComponents', async () => {
    const result = await render({ components: ['../../components/debug'] });
    assert.equal(byKind(result, 'ConfigMap').metadata.annotations?.debug, 'on');
    await assert.rejects(render({ components: ['../../components/missing'] }), /components entry "\.\.\/\.\.\/components\/missing" does not exist/);
    const ignored = await render({ components: ['../../components/missing', '../../components/debug'], ignoreMissingComponents: true });
    assert.equal(byKind(ignored, 'ConfigMap').metadata.annotations?.debug, 'on');
  });

  it('version and kubeVersion are accepted and reported as ignored', async () => {
    const result = await render({ version: 'v4.5.7', kubeVersion: '1.29' });
    assert.equal(result.warnings.length, 2);
    assert.match(result.warnings[0], /kustomize version "v4\.5\.7" is ignored/);
  });

  it('kustomize options on a folder with no kustomization are an error', async () => {
    await assert.rejects(renderer.render({ root, path: 'app/base/..', source: { kustomize: { namePrefix: 'x-' } } }), /spec\.source\.kustomize is set but the folder has no kustomization\.yaml/);
  });

  it('an explicit directory block renders a kustomize folder as plain files, as Argo CD does', async () => {
    await assert.rejects(renderer.render({ root, path: 'app/base', source: { directory: {} } }), /kustomization\.yaml:1: document 1: object has no apiVersion/);
  });
});
