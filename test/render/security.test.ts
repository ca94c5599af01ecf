/**
 * SECURITY.md §7 rows 16, 19, 20 and 21 for the renderer: caps before kustomize sees anything, no
 * remote bases or URL resources, no Helm, exec plugins or KRM functions, no symlink or path that
 * leaves the root, and sanitised messages that never carry the bytes (or path) of a refused target.
 * A kustomize wrapper counts runs, so "refused before the build" is checked, not assumed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_RENDER_LIMITS, Renderer, RenderError } from '../../shared/render/index.ts';
import { configMap, countingKustomize, leftovers, makeTree, removeTree, type TreeEntry } from './helpers.ts';

let work: string;
let probe: ReturnType<typeof countingKustomize>;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'gitwave-render-sec-'));
  probe = countingKustomize(work);
});
after(() => removeTree(work));

/** Renders `path` of a tree made from `files`; returns the error (the render must fail) and the run count. */
async function refused(files: Record<string, TreeEntry>, path = 'app', source = {}): Promise<{ error: RenderError; runs: number }> {
  const root = makeTree(files);
  const before = probe.runs();
  try {
    await new Renderer({ kustomize: probe.command }).render({ root, path, source });
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    return { error, runs: probe.runs() - before };
  } finally {
    removeTree(root);
  }
  throw new Error('the render was not refused');
}

const kustomization = (body: string): Record<string, string> => ({ 'app/kustomization.yaml': body, 'app/cm.yaml': configMap('cm') });

describe('row 16: caps before kustomize sees the files', () => {
  it('a 1 KB YAML alias bomb is refused with its file and line; kustomize never runs', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, next] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h']]) {
      levels.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  ${levels.join('\n  ')}\n`;
    assert.ok(bomb.length < 1024);
    const { error, runs } = await refused({ ...kustomization('resources: [cm.yaml, bomb.yaml]\n'), 'app/bomb.yaml': bomb });
    assert.equal(runs, 0);
    assert.match(error.message, /^app\/bomb\.yaml:1: refused YAML: excessive alias count/);
  });

  it('a 200 MB manifest is refused by its size, unread; kustomize never runs', async () => {
    const root = makeTree(kustomization('resources: [cm.yaml, huge.yaml]\n'));
    writeFileSync(join(root, 'app/huge.yaml'), '');
    truncateSync(join(root, 'app/huge.yaml'), 200 * 1024 * 1024);
    const runs = probe.runs();
    await assert.rejects(new Renderer({ kustomize: probe.command }).render({ root, path: 'app' }), /^RenderError: app\/huge\.yaml: file is 209715200 bytes, over the 16777216-byte cap: refused$/);
    assert.equal(probe.runs(), runs);
    removeTree(root);
  });

  it('a folder of more files than the cap (default 10,000, so 50k files) is refused, and the next app still renders', async () => {
    assert.ok(DEFAULT_RENDER_LIMITS.maxFiles < 50_000);
    const root = makeTree({ 'next/cm.yaml': configMap('next') });
    mkdirSync(join(root, 'many'));
    for (let i = 0; i <= 1000; i++) writeFileSync(join(root, 'many', `f${i}.txt`), '');
    const renderer = new Renderer({ limits: { maxFiles: 1000 } });
    await assert.rejects(renderer.render({ root, path: 'many' }), /more than 1000 files and folders: refused/);
    assert.equal((await renderer.render({ root, path: 'next' })).objects.length, 1);
    removeTree(root);
  });
});

describe('row 19: remote bases and URL resources are refused before the build', () => {
  const marker = join(tmpdir(), `gitwave-pwned-${process.pid}`);
  const remotes = [
    'https://github.com/org/repo//deploy?ref=v1.0.0',
    'github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v1.0.6',
    'git@github.com:org/repo.git//base',
    'https://raw.githubusercontent.com/org/repo/main/deploy.yaml',
    `github.com/org/repo?ref=--upload-pack=touch ${marker}`,
    'ssh://git@example.com/org/repo',
    'file:///etc/passwd',
  ];
  for (const [field, entry] of remotes.flatMap((r) => [['resources', r], ['components', r]])) {
    it(`${field}: ${entry}`, async () => {
      const body = field === 'resources' ? `resources:\n  - cm.yaml\n  - ${JSON.stringify(entry)}\n` : `resources: [cm.yaml]\n${field}:\n  - ${JSON.stringify(entry)}\n`;
      const { error, runs } = await refused(kustomization(`# remote\n${body}`));
      assert.equal(runs, 0);
      assert.equal(error.problems[0].file, 'app/kustomization.yaml');
      assert.equal(error.problems[0].line, 4);
      assert.match(error.problems[0].message, new RegExp(`^remote ${field} entry .* is refused: only files in the repository are rendered$`));
      assert.equal(existsSync(marker), false);
    });
  }

  it('a remote base named in bases: of a nested kustomization is found too', async () => {
    const { error, runs } = await refused({
      'app/kustomization.yaml': 'resources: [../base]\n',
      'base/kustomization.yaml': 'bases:\n  - github.com/org/repo//base?ref=main\n',
    });
    assert.equal(runs, 0);
    assert.match(error.message, /^base\/kustomization\.yaml:2: remote bases entry/);
  });
});

describe('row 20: Helm, exec plugins and KRM functions are refused', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['helmCharts', kustomization('helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n'), /kustomization\.yaml:1: helmCharts is refused/],
    ['helmChartInflationGenerator', kustomization('helmChartInflationGenerator:\n  - chartName: x\n'), /helmChartInflationGenerator is refused/],
    ['an exec KRM function', { ...kustomization('transformers: [fn.yaml]\n'), 'app/fn.yaml': 'apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: fn\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n' }, /app\/fn\.yaml:1: KRM functions are refused/],
    ['a container KRM function inline', kustomization('generators:\n  - |\n    apiVersion: example.com/v1\n    kind: Gen\n    metadata:\n      name: g\n      annotations:\n        config.kubernetes.io/function: "container: {image: evil}"\n'), /kustomization\.yaml:2: KRM functions are refused/],
    ['an exec plugin', { ...kustomization('generators: [plugin.yaml]\n'), 'app/plugin.yaml': 'apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata: {name: p}\n' }, /plugin ChartInflator is refused: exec and Go plugins never run/],
    ['a builtin Helm generator', { ...kustomization('generators: [helm.yaml]\n'), 'app/helm.yaml': 'apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata: {name: h}\n' }, /HelmChartInflationGenerator is refused/],
    ['a transformer folder', { ...kustomization('transformers: [more]\n'), 'app/more/kustomization.yaml': 'resources: []\n' }, /transformers entry "more" is a folder; a file is expected/],
  ];
  for (const [label, files, expected] of cases) {
    it(label, async () => {
      const { error, runs } = await refused(files);
      assert.equal(runs, 0);
      assert.match(error.message, expected);
    });
  }

  it('builtin transformers still run', async () => {
    const root = makeTree({ ...kustomization('resources: [cm.yaml]\ntransformers: [prefix.yaml]\n'), 'app/prefix.yaml': 'apiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata: {name: p}\nprefix: team-\nfieldSpecs: [{path: metadata/name}]\n' });
    assert.equal((await new Renderer().render({ root, path: 'app' })).objects[0].object.metadata.name, 'team-cm');
    removeTree(root);
  });

  it('kustomize runs with the load restrictor on, no enabling flag, no PATH and no credentials in its environment', async () => {
    const log = join(work, 'argv.log');
    const script = join(work, 'argv.sh');
    writeFileSync(script, `#!/bin/sh\necho "$@" > '${log}'\n/usr/bin/env >> '${log}'\nexec '${probe.command.executable}' "$@"\n`, { mode: 0o755 });
    const root = makeTree(kustomization('resources: [cm.yaml]\n'));
    process.env.AWS_SESSION_TOKEN = 'session-token-must-not-leak';
    try {
      await new Renderer({ kustomize: { ...probe.command, executable: script } }).render({ root, path: 'app' });
    } finally {
      delete process.env.AWS_SESSION_TOKEN;
      removeTree(root);
    }
    const [argv, ...env] = readFileSync(log, 'utf8').split('\n');
    assert.match(argv, /--load-restrictor LoadRestrictionsRootOnly -- \S+\/app$/);
    assert.doesNotMatch(argv, /--enable|--network|--mount|--helm/);
    assert.ok(env.includes('PATH='));
    assert.equal(env.some((line) => line.startsWith('AWS_')), false);
  });
});

describe('row 21: symlinks and paths that leave the root', () => {
  const environ = readFileSync('/proc/self/environ', 'utf8');
  const secretBytes = environ.split('\0').filter((v) => v.length > 12).slice(0, 5);

  /** No byte of the environment, and no symlink target, in the message. */
  function assertSanitised(error: RenderError): void {
    for (const bytes of secretBytes) assert.equal(error.message.includes(bytes), false);
    assert.doesNotMatch(error.message, /\/proc|environ|\/var\/task|other-app|hostname/);
  }

  const cases: Array<[string, Record<string, TreeEntry>, string, RegExp]> = [
    ['a resource symlinked to /proc/self/environ', { ...kustomization('resources: [cm.yaml, env.yaml]\n'), 'app/env.yaml': { symlink: '/proc/self/environ' } }, 'app', /^app\/kustomization\.yaml:1: "app\/env\.yaml" is a symlink that points outside the root: refused$/],
    ['a plain-directory file symlinked to /proc/self/environ', { 'app/cm.yaml': configMap('cm'), 'app/leak.yaml': { symlink: '/proc/self/environ' } }, 'app', /^app\/leak\.yaml: symlink points outside the root: refused$/],
    ['a folder symlinked to /var/task (absent here: a dangling link aimed outside)', { 'app/cm.yaml': configMap('cm'), 'app/task': { symlink: '/var/task' } }, 'app', /^app\/task: symlink points outside the root/],
    ['a base symlinked to another app\'s checkout', { ...kustomization('resources: [peer]\n'), 'app/peer': { symlink: '../../other-app' } }, 'app', /"app\/peer" is a symlink that points outside the root/],
    ['resources: [../../../etc/passwd]', kustomization('resources:\n  - ../../../etc/passwd\n'), 'app', /^app\/kustomization\.yaml:2: path "\.\.\/\.\.\/\.\.\/etc\/passwd" leaves the root$/],
    ['an absolute resource path', kustomization('resources: [/etc/passwd]\n'), 'app', /^app\/kustomization\.yaml:1: absolute path "\/etc\/passwd" is not allowed$/],
    ['a patch file symlinked outside', { ...kustomization('resources: [cm.yaml]\npatches:\n  - path: p.yaml\n'), 'app/p.yaml': { symlink: '/etc/hostname' } }, 'app', /kustomization\.yaml:3: "app\/p\.yaml" is a symlink that points outside the root/],
    ['a generator file reaching out with ../', kustomization('configMapGenerator:\n  - name: x\n    files: [key=../../outside.txt]\n'), 'app', /kustomization\.yaml:3: path "\.\.\/\.\.\/outside\.txt" leaves the root/],
  ];
  for (const [label, files, path, expected] of cases) {
    it(label, async () => {
      const { error, runs } = await refused(files, path);
      assert.equal(runs, 0);
      assert.match(error.message, expected);
      assertSanitised(error);
    });
  }

  it('Application patches and components are confined like the kustomization\'s own', async () => {
    const files = kustomization('resources: [cm.yaml]\n');
    const patch = await refused(files, 'app', { kustomize: { patches: [{ path: '../../secret.yaml' }] } });
    assert.match(patch.error.message, /path "\.\.\/\.\.\/secret\.yaml" leaves the root/);
    const component = await refused(files, 'app', { kustomize: { components: ['/etc'] } });
    assert.match(component.error.message, /absolute path "\/etc" is not allowed/);
  });

  it('a symlink that stays inside the root is followed', async () => {
    const root = makeTree({ ...kustomization('resources: [link.yaml]\n'), 'shared/cm.yaml': configMap('shared'), 'app/link.yaml': { symlink: '../shared/cm.yaml' } });
    assert.equal((await new Renderer().render({ root, path: 'app' })).objects[0].object.metadata.name, 'shared');
    removeTree(root);
  });
});

describe('scratch folders, time limit and output cap', () => {
  it('removes its scratch folder after a render and after a failed build', async () => {
    const scratchParent = mkdtempSync(join(work, 'scratch-'));
    const renderer = new Renderer({ scratchParent });
    const root = makeTree({ ...kustomization('resources: [cm.yaml]\n'), 'bad/kustomization.yaml': 'resources: [a.yaml]\nnamePrefix: [x]\n', 'bad/a.yaml': configMap('a') });
    await renderer.render({ root, path: 'app' });
    await assert.rejects(renderer.render({ root, path: 'bad' }), /kustomize build failed/);
    assert.deepEqual(leftovers(scratchParent), []);
    removeTree(root);
  });

  it('stops a kustomize that runs past the time limit', async () => {
    const script = join(work, 'slow.sh');
    writeFileSync(script, '#!/bin/sh\nexec /bin/sleep 30\n', { mode: 0o755 });
    const root = makeTree(kustomization('resources: [cm.yaml]\n'));
    const renderer = new Renderer({ kustomize: { executable: script, args: [], label: 'kustomize' }, limits: { timeoutMs: 300 } });
    await assert.rejects(renderer.render({ root, path: 'app' }), /app\/kustomization\.yaml: kustomize took longer than 300 ms: stopped/);
    removeTree(root);
  });

  it('refuses output over the cap', async () => {
    const root = makeTree(kustomization('resources: [cm.yaml]\n'));
    await assert.rejects(new Renderer({ limits: { maxOutputBytes: 40 } }).render({ root, path: 'app' }), /output exceeds 40 bytes: refused/);
    removeTree(root);
  });
});
