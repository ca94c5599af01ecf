import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, printPath } from '../../local/kube-sim/fieldset.ts';
import { jsonPatch } from '../../local/kube-sim/jsonpatch.ts';
import { mergePatch, strategicMerge } from '../../local/kube-sim/merge.ts';

// Without a schema, list merge keys come from the built-in table (containers, env, ports, …).
const pod = {
  spec: {
    containers: [
      { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] },
      { name: 'b', image: 'b:1' },
    ],
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
    finalizers: ['one', 'two'],
  },
};

describe('strategic merge patch directives', () => {
  it('$setElementOrder orders a merged list and $patch: delete removes an item', () => {
    const patch = { spec: { containers: [{ name: 'a', env: [{ name: 'Y', $patch: 'delete' }] }], '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } };
    const out = strategicMerge(pod, patch, undefined) as any;
    assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['b', 'a']);
    assert.deepEqual(out.spec.containers[1].env, [{ name: 'X', value: '1' }]);
  });

  it('$retainKeys drops the fields it does not list (a strategy switched to Recreate)', () => {
    const out = strategicMerge(pod, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, undefined) as any;
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  });

  it('$deleteFromPrimitiveList removes values, and $patch: replace replaces a map whole', () => {
    const out = strategicMerge(pod, { spec: { '$deleteFromPrimitiveList/finalizers': ['one'] } }, undefined) as any;
    assert.deepEqual(out.spec.finalizers, ['two']);
    const replaced = strategicMerge(pod, { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } }, undefined) as any;
    assert.deepEqual(replaced.spec.strategy, { type: 'Recreate' });
  });

  it('null deletes a field in both merge patch kinds', () => {
    assert.deepEqual(mergePatch({ a: 1, b: { c: 2 } }, { b: null }), { a: 1 });
    assert.equal((strategicMerge(pod, { spec: { strategy: null } }, undefined) as any).spec.strategy, undefined);
  });
});

describe('JSON patch', () => {
  it('moves, copies and escapes pointer tokens', () => {
    const doc = { metadata: { annotations: { 'a/b': 'x' } }, list: [1, 2] };
    const out = jsonPatch(doc, [
      { op: 'copy', from: '/metadata/annotations/a~1b', path: '/metadata/annotations/c' },
      { op: 'move', from: '/list/0', path: '/list/-' },
    ]) as any;
    assert.deepEqual(out, { metadata: { annotations: { 'a/b': 'x', c: 'x' } }, list: [2, 1] });
    assert.deepEqual(doc.list, [1, 2], 'the input is not changed');
  });

  it('fails on a missing path with 422', () => {
    assert.throws(() => jsonPatch({}, [{ op: 'remove', path: '/nope' }]), (e: any) => e.code === 422);
  });
});

describe('field sets', () => {
  it('round-trips FieldsV1, with "." marking an owned node that has children', () => {
    const fields = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {} } } } };
    const set = FieldSet.fromFieldsV1(fields);
    assert.deepEqual(set.toFieldsV1(), fields);
    assert.ok(set.has(['f:metadata', 'f:labels']));
    assert.ok(!set.has(['f:metadata']));
  });

  it('finds clashes at, under and above an owned path', () => {
    const owner = FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {}, 'f:selector': {} } });
    const touched = new FieldSet();
    touched.insert(['f:spec', 'f:selector', 'f:matchLabels', 'f:app']);
    touched.insert(['f:spec', 'f:paused']);
    assert.deepEqual(owner.clashes(touched), [['f:spec', 'f:selector', 'f:matchLabels', 'f:app']]);
  });

  it('prints paths the way Kubernetes names them in conflicts', () => {
    assert.equal(printPath(['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image']), '.spec.containers[name="web"].image');
    assert.equal(printPath(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}']), '.spec.ports[port=80,protocol="TCP"]');
  });
});
