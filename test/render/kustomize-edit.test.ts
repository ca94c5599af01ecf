/**
 * The Application's kustomize options as `kustomize edit` would write them into the kustomization
 * (Argo CD runs those commands; gitwave edits the scratch copy itself). Expected values follow the
 * kustomize v5 edit commands: set image/replicas merge by name and sort, add label/annotation refuse
 * an existing key unless forced, --without-selector writes `labels`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { applyKustomizeOptions, parseImageArg, setImages } from '../../shared/render/kustomize-edit.ts';
import { editKustomizationText } from '../../shared/render/kustomization-text.ts';

const FILE = 'app/kustomization.yaml';
const edit = (k: Record<string, unknown>, options: Parameters<typeof applyKustomizeOptions>[1], env = {}): Record<string, unknown> =>
  applyKustomizeOptions(k, options, env, FILE);

describe('kustomize edit set image', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['postgres=eu.gcr.io/p/postgres:15', { name: 'postgres', newName: 'eu.gcr.io/p/postgres', newTag: '15' }],
    ['my-app=registry/my-app@sha256:abc', { name: 'my-app', newName: 'registry/my-app', digest: 'sha256:abc' }],
    ['mysql=mariadb', { name: 'mysql', newName: 'mariadb' }],
    ['node:8.15.0', { name: 'node', newTag: '8.15.0' }],
    ['alpine@sha256:def', { name: 'alpine', digest: 'sha256:def' }],
    ['localhost:5000/app:1.2', { name: 'localhost:5000/app', newTag: '1.2' }],
  ];
  for (const [arg, expected] of cases) {
    it(`parses ${arg}`, () => {
      assert.deepEqual(setImages([], [arg], FILE), [expected]);
    });
  }

  it('replaces an entry of the same name, keeps the others, and sorts by name', () => {
    const existing = [{ name: 'zeta', newTag: '1' }, { name: 'nginx', newName: 'old/nginx', newTag: '1.0' }];
    assert.deepEqual(setImages(existing, ['nginx:1.25', 'alpha=a/alpha:2'], FILE), [
      { name: 'alpha', newName: 'a/alpha', newTag: '2' },
      { name: 'nginx', newTag: '1.25' },
      { name: 'zeta', newTag: '1' },
    ]);
  });

  it('keeps the current new name when * is given', () => {
    assert.deepEqual(setImages([{ name: 'nginx', newName: 'mirror/nginx', newTag: '1' }], ['nginx=*:2'], FILE), [{ name: 'nginx', newName: 'mirror/nginx', newTag: '2' }]);
  });

  it('refuses an argument kustomize refuses, naming the kustomization', () => {
    assert.throws(() => parseImageArg('nginx', FILE), /app\/kustomization\.yaml: invalid image override "nginx"/);
  });

  it('substitutes ARGOCD_APP_* variables in images', () => {
    const k = edit({}, { images: ['web=reg/web:${ARGOCD_APP_REVISION_SHORT}'] }, { ARGOCD_APP_REVISION_SHORT: 'abc1234' });
    assert.deepEqual(k.images, [{ name: 'web', newName: 'reg/web', newTag: 'abc1234' }]);
  });
});

describe('kustomize edit: names, namespace, replicas', () => {
  it('sets namePrefix, nameSuffix and namespace, replacing what the file had', () => {
    const k = edit({ namePrefix: 'old-', namespace: 'a' }, { namePrefix: 'dev-', nameSuffix: '-v2', namespace: 'team-a' });
    assert.deepEqual([k.namePrefix, k.nameSuffix, k.namespace], ['dev-', '-v2', 'team-a']);
  });

  it('leaves fields alone when the option is empty', () => {
    const k = edit({ namePrefix: 'keep-' }, { namePrefix: '', images: [], commonLabels: {} });
    assert.deepEqual(k, { namePrefix: 'keep-' });
  });

  it('sets replicas by name, sorted, replacing the same name', () => {
    const k = edit({ replicas: [{ name: 'web', count: 5 }, { name: 'api', count: 1 }] }, { replicas: [{ name: 'web', count: 2 }, { name: 'db', count: '3' }] });
    assert.deepEqual(k.replicas, [{ name: 'api', count: 1 }, { name: 'db', count: 3 }, { name: 'web', count: 2 }]);
  });

  it('refuses a replica count that is not an integer', () => {
    assert.throws(() => edit({}, { replicas: [{ name: 'web', count: 'two' }] }), /invalid replica count "two" for web/);
  });
});

describe('kustomize edit add label / annotation', () => {
  it('adds commonLabels, refusing an existing key unless forced', () => {
    assert.deepEqual(edit({ commonLabels: { a: '1' } }, { commonLabels: { b: '2' } }).commonLabels, { a: '1', b: '2' });
    assert.throws(() => edit({ commonLabels: { a: '1' } }, { commonLabels: { a: '2' } }), /label a already in kustomization file/);
    assert.deepEqual(edit({ commonLabels: { a: '1' } }, { commonLabels: { a: '2' }, forceCommonLabels: true }).commonLabels, { a: '2' });
  });

  it('substitutes variables in label values (Argo CD always does)', () => {
    assert.deepEqual(edit({}, { commonLabels: { app: '${ARGOCD_APP_NAME}' } }, { ARGOCD_APP_NAME: 'web' }).commonLabels, { app: 'web' });
  });

  it('writes labels without selectors, with includeTemplates when asked', () => {
    const k = edit({}, { commonLabels: { team: 'a' }, labelWithoutSelector: true, labelIncludeTemplates: true });
    assert.deepEqual(k.labels, [{ pairs: { team: 'a' }, includeTemplates: true }]);
    assert.equal(k.commonLabels, undefined);
  });

  it('refuses a label already in labels unless forced, and then overwrites it in place', () => {
    const labels = [{ pairs: { team: 'a' }, includeSelectors: true }];
    assert.throws(() => edit({ labels }, { commonLabels: { team: 'b' }, labelWithoutSelector: true }), /label team already in kustomization file/);
    assert.deepEqual(edit({ labels }, { commonLabels: { team: 'b' }, labelWithoutSelector: true, forceCommonLabels: true }).labels, [{ pairs: { team: 'b' }, includeSelectors: true }]);
  });

  it('refuses includeTemplates without labelWithoutSelector, as kustomize does', () => {
    assert.throws(() => edit({}, { commonLabels: { a: '1' }, labelIncludeTemplates: true }), /labelIncludeTemplates needs labelWithoutSelector/);
  });

  it('adds commonAnnotations, with force and opt-in substitution', () => {
    const env = { ARGOCD_APP_NAME: 'web' };
    assert.deepEqual(edit({}, { commonAnnotations: { by: '${ARGOCD_APP_NAME}' } }, env).commonAnnotations, { by: '${ARGOCD_APP_NAME}' });
    assert.deepEqual(edit({}, { commonAnnotations: { by: '${ARGOCD_APP_NAME}' }, commonAnnotationsEnvsubst: true }, env).commonAnnotations, { by: 'web' });
    assert.throws(() => edit({ commonAnnotations: { by: 'x' } }, { commonAnnotations: { by: 'y' } }), /annotation by already in kustomization file/);
    assert.deepEqual(edit({ commonAnnotations: { by: 'x' } }, { commonAnnotations: { by: 'y' }, forceCommonAnnotations: true }).commonAnnotations, { by: 'y' });
  });
});

describe('patches and components', () => {
  it('appends the Application patches after the kustomization patches', () => {
    const k = edit({ patches: [{ path: 'a.yaml' }] }, { patches: [{ patch: 'x', target: { kind: 'Deployment' } }] });
    assert.deepEqual(k.patches, [{ path: 'a.yaml' }, { patch: 'x', target: { kind: 'Deployment' } }]);
  });

  it('adds components that are not listed yet', () => {
    assert.deepEqual(edit({ components: ['../c1'] }, { components: ['../c1', '../c2'] }).components, ['../c1', '../c2']);
  });

  it('does not change the input object', () => {
    const input = { commonLabels: { a: '1' } };
    edit(input, { commonLabels: { b: '2' }, namespace: 'x' });
    assert.deepEqual(input, { commonLabels: { a: '1' } });
  });
});

describe('editing the kustomization text', () => {
  const original = [
    '# base of the web app',
    'resources:',
    '  - web.yaml # the deployment',
    'images:',
    '  - name: web',
    '    newTag: 1.10',
    '',
    '# scaled per environment',
    'replicas:',
    '- name: web',
    '  count: 5',
    'commonLabels:',
    '  version: 0123',
    '',
  ].join('\n');

  it('keeps every untouched byte, and adds the origin annotations request at the end', () => {
    const { text, keepOrigin } = editKustomizationText(original, FILE, { namePrefix: 'dev-' }, {});
    assert.equal(keepOrigin, false);
    assert.equal(text, `${original}namePrefix: dev-\nbuildMetadata:\n  - originAnnotations\n`);
  });

  it('rewrites only the keys that change, in place, typed as kustomize edit writes them', () => {
    const { text } = editKustomizationText(original, FILE, { images: ['other:2'], replicas: [{ name: 'api', count: 2 }] }, {});
    assert.match(text, /^# base of the web app\nresources:\n {2}- web\.yaml # the deployment\nimages:\n/);
    assert.match(text, /images:\n {2}- name: other\n {4}newTag: "2"\n {2}- name: web\n {4}newTag: "1\.10"\n/);
    assert.match(text, /replicas:\n {2}- name: api\n {4}count: 2\n {2}- name: web\n {4}count: 5\n/);
    assert.match(text, /commonLabels:\n {2}version: 0123\n/);
    assert.deepEqual(parse(text).images, [{ name: 'other', newTag: '2' }, { name: 'web', newTag: '1.10' }]);
  });

  it('writes label flags and patch options as booleans, label values as strings', () => {
    const text = 'labels:\n- pairs: {a: "1"}\n  includeSelectors: true\npatches:\n- path: p.yaml\n  options: {allowNameChange: true}\n';
    const edited = parse(editKustomizationText(text, FILE, { commonLabels: { b: 'true' }, labelWithoutSelector: true, patches: [{ patch: 'x' }] }, {}).text);
    assert.deepEqual(edited.labels, [{ pairs: { a: '1' }, includeSelectors: true }, { pairs: { b: 'true' } }]);
    assert.deepEqual(edited.patches, [{ path: 'p.yaml', options: { allowNameChange: true } }, { patch: 'x' }]);
  });

  it('keeps origin annotations the repository already asked for', () => {
    const { text, keepOrigin } = editKustomizationText('resources: [a.yaml]\nbuildMetadata: [originAnnotations]\n', FILE, {}, {});
    assert.equal(keepOrigin, true);
    assert.equal(text, 'resources: [a.yaml]\nbuildMetadata: [originAnnotations]\n');
  });
});
