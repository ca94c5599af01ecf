/**
 * Plain-directory sources: the files Argo CD would read, in its order, with recurse and the
 * include/exclude globs; Lists flattened; and the input errors of SECURITY.md §7 rows 15 and 18
 * (malformed YAML with file and line, the same object twice, a document with no kind or name).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Renderer, RenderError, type DirectorySourceOptions } from '../../shared/render/index.ts';
import { FIXTURE_REPO, configMap, makeTree, removeTree } from './helpers.ts';

const renderer = new Renderer();

async function names(files: Record<string, string>, directory?: DirectorySourceOptions): Promise<string[]> {
  const root = makeTree(files);
  try {
    const result = await renderer.render({ root, path: 'src', source: directory ? { directory } : undefined });
    return result.objects.map((o) => `${o.source.file}#${o.source.document}:${o.object.metadata.name}`);
  } finally {
    removeTree(root);
  }
}

async function renderFailure(files: Record<string, string>, path = 'src'): Promise<RenderError> {
  const root = makeTree(files);
  try {
    await renderer.render({ root, path });
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  } finally {
    removeTree(root);
  }
  throw new Error('the render did not fail');
}

describe('plain directories', () => {
  it('reads .yaml, .yml and .json files in filepath.Walk order and skips everything else', async () => {
    const files = {
      'src/b.yaml': configMap('b'),
      'src/a.yml': configMap('a'),
      'src/c.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}',
      'src/README.md': '# not a manifest',
      'src/d.yaml.bak': configMap('d'),
    };
    assert.deepEqual(await names(files), ['src/a.yml#0:a', 'src/b.yaml#0:b', 'src/c.json#0:c']);
  });

  it('enters subfolders only with recurse, visiting a folder where its name sorts (a/ before a.yaml)', async () => {
    const files = { 'src/a.yaml': configMap('top'), 'src/a/x.yaml': configMap('nested'), 'src/b/y.yaml': configMap('deeper') };
    assert.deepEqual(await names(files), ['src/a.yaml#0:top']);
    assert.deepEqual(await names(files, { recurse: true }), ['src/a/x.yaml#0:nested', 'src/a.yaml#0:top', 'src/b/y.yaml#0:deeper']);
  });

  it('include and exclude are globs over the path inside the source, with {a,b} lists, * crossing folders', async () => {
    const files = { 'src/app.yaml': configMap('app'), 'src/config.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"}}', 'src/env/dev.yaml': configMap('dev') };
    assert.deepEqual(await names(files, { recurse: true, include: '*.yaml' }), ['src/app.yaml#0:app', 'src/env/dev.yaml#0:dev']);
    assert.deepEqual(await names(files, { recurse: true, exclude: '{config.json,env/*}' }), ['src/app.yaml#0:app']);
    assert.deepEqual(await names(files, { recurse: true, include: '{config.json,app.yaml}' }), ['src/app.yaml#0:app', 'src/config.json#0:cfg']);
  });

  it('counts documents in a stream and flattens List documents into their items', async () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - ${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })}\n  - ${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } })}\n`;
    assert.deepEqual(await names({ 'src/all.yaml': `${configMap('first')}---\n---\n${list}` }), ['src/all.yaml#0:first', 'src/all.yaml#2:x', 'src/all.yaml#2:y']);
  });

  it('renders the repository fixture platform/namespaces with recurse', async () => {
    const result = await renderer.render({ root: FIXTURE_REPO, path: 'platform/namespaces', source: { directory: { recurse: true } } });
    assert.equal(result.type, 'directory');
    assert.deepEqual(result.objects.map((o) => o.object.kind), ['Namespace', 'Namespace', 'ResourceQuota', 'LimitRange']);
    assert.deepEqual(result.objects[3].source, { file: 'platform/namespaces/teams/quotas.yaml', document: 1, line: 9 });
  });

  it('refuses Jsonnet with a clear message rather than skipping it', async () => {
    const error = await renderFailure({ 'src/main.jsonnet': '{}' });
    assert.match(error.message, /src\/main\.jsonnet: Jsonnet is not supported/);
  });

  it('fails on a source path that does not exist', async () => {
    const error = await renderFailure({ 'other/a.yaml': configMap('a') });
    assert.match(error.message, /^src: source path does not exist$/);
  });
});

describe('bad input (SECURITY.md §7 rows 15 and 18)', () => {
  it('malformed YAML: a tab and an unclosed quote, each with file and line, every bad file reported', async () => {
    const error = await renderFailure({
      'src/good.yaml': configMap('good'),
      'src/tab.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n',
      'src/quote.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "x\n',
    });
    assert.deepEqual(error.problems.map((p) => [p.file, p.line]), [['src/quote.yaml', 5], ['src/tab.yaml', 4]]);
    assert.match(error.problems[1].message, /^malformed YAML: tabs are not allowed as indentation/);
    assert.match(error.problems[0].message, /^malformed YAML: missing closing "quote/);
  });

  it('§7 row 18: the same object twice is an error naming both places', async () => {
    const error = await renderFailure({ 'src/a.yaml': configMap('dup', 'ns'), 'src/b.yaml': `# again\n${configMap('dup', 'ns')}` });
    assert.equal(error.message, 'src/b.yaml:2: ConfigMap ns/dup is defined twice (first at src/a.yaml:1)');
  });

  it('the same name in two namespaces, or two generateName objects, is fine', async () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n';
    assert.equal((await names({ 'src/a.yaml': `${configMap('x', 'a')}---\n${configMap('x', 'b')}---\n${job}---\n${job}` })).length, 4);
  });

  const incomplete: Array<[string, string, RegExp]> = [
    ['no kind', 'apiVersion: v1\nmetadata:\n  name: x\n', /document 1: object x has no kind/],
    ['no apiVersion', 'kind: ConfigMap\nmetadata:\n  name: x\n', /document 1: ConfigMap x has no apiVersion/],
    ['no name', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n', /document 1: ConfigMap has no metadata\.name \(or metadata\.generateName\)/],
    ['no metadata', 'apiVersion: v1\nkind: ConfigMap\n', /document 1: ConfigMap has no metadata/],
    ['a list', '- a\n- b\n', /document 1: is not a Kubernetes object/],
  ];
  for (const [label, text, expected] of incomplete) {
    it(`a document with ${label} is an error of the render`, async () => {
      const error = await renderFailure({ 'src/x.yaml': text });
      assert.equal(error.problems[0].file, 'src/x.yaml');
      assert.match(error.message, expected);
    });
  }

  it('the same object twice through kustomize is caught too, even in two API versions kustomize tells apart', async () => {
    const hpa = (version: string): string => `apiVersion: autoscaling/${version}\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n`;
    const error = await renderFailure({ 'src/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n', 'src/a.yaml': hpa('v1'), 'src/b.yaml': hpa('v2') });
    assert.equal(error.message, 'src/b.yaml:1: HorizontalPodAutoscaler web is defined twice (first at src/a.yaml:1)');
  });
});
