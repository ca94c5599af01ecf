// kustomize `helmCharts` (--enable-helm): refused unless the AppProject allows it by name; then a
// chart from the loopback chart repository (built with the real `helm package` / `helm repo index`)
// is fetched by gitwave, not by kustomize, and the render equals what `kubectl kustomize --enable-helm
// --helm-command <helm>` gives for the same folder. sourceRepos, plain http off loopback, OCI and a
// missing version are refused naming the kustomization, the entry and the field.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { kustomizeHelmPolicy, KUSTOMIZE_HELM_ANNOTATION, type KustomizeHelmPolicy } from '../../../shared/model/kustomize-helm.ts';
import { DEFAULT_PROJECT } from '../../../shared/model/appproject.ts';
import { findHelm, MemoryRenderCache, Renderer, RenderError, type RenderRequest } from '../../../shared/render/index.ts';
import { AGENT_CHART, startChartRepository, writeChart } from './charts.ts';

let work: string;
let helmBin: string;
let repo: { url: string; server: Server };
let requests = 0;

const allowed = (sourceRepos: string[] = ['*']): KustomizeHelmPolicy => ({ project: 'addons', allowed: true, sourceRepos });

function kustomization(charts: string, extra = ''): Record<string, string> {
  return { 'addons/kustomization.yaml': `namePrefix: team-\n${extra}helmCharts:\n${charts}` };
}

function ingressEntry(repoURL = repo.url, more = ''): string {
  return `  - name: ingress\n    repo: ${repoURL}\n    version: 1.4.0\n    releaseName: edge\n    namespace: ingress\n    includeCRDs: true\n${more}`;
}

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(work, 'tree-'));
  await writeChart(root, files);
  return root;
}

async function refusal(request: RenderRequest): Promise<string> {
  const error = await new Renderer().render(request).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof RenderError, `expected a RenderError, got ${String(error)}`);
  return error.message;
}

/** What kubectl's own kustomize renders for a copy of `root`/`path` (it pulls the chart itself). */
async function kubectlKustomize(root: string, path: string): Promise<unknown[]> {
  const copy = await mkdtemp(join(work, 'kubectl-'));
  await cp(root, copy, { recursive: true });
  const home = join(copy, '.home');
  const { stdout } = await promisify(execFile)('kubectl', ['kustomize', '--enable-helm', '--helm-command', helmBin, join(copy, path)], {
    env: { HOME: home, PATH: process.env.PATH }, maxBuffer: 64 * 1024 * 1024,
  });
  return parseAllDocuments(stdout).map((d) => d.toJS()).filter((v) => v !== null);
}

before(async () => {
  ({ work, helmBin, repo } = await startChartRepository((await findHelm()).executable, 'gitwave-kustomize-helm-'));
  repo.server.on('request', () => { requests++; });
});

after(async () => {
  repo?.server.close();
  await rm(work, { recursive: true, force: true });
});

describe('kustomize helmCharts, refused by default', () => {
  it('refuses helmCharts when no project is given, naming file, line and the annotation', async () => {
    const root = await tree(kustomization(ingressEntry()));
    const message = await refusal({ root, path: 'addons' });
    assert.match(message, /^addons\/kustomization\.yaml:2: helmCharts is refused: no AppProject allows it here \(.*gitwave\.dev\/kustomize-helm: "true" on the AppProject\)/);
  });

  it('refuses helmCharts for a project without the annotation, naming the project', async () => {
    const root = await tree(kustomization(ingressEntry()));
    const before = requests;
    const message = await refusal({ root, path: 'addons', kustomizeHelm: kustomizeHelmPolicy(DEFAULT_PROJECT) });
    assert.match(message, /^addons\/kustomization\.yaml:2: helmCharts is refused: project "default" does not allow it/);
    assert.equal(requests, before, 'nothing was fetched');
  });

  it('refuses helmGlobals alone too, and HelmChartInflationGenerator even when allowed', async () => {
    const root = await tree({ 'addons/kustomization.yaml': 'helmGlobals:\n  chartHome: vendor\n' });
    assert.match(await refusal({ root, path: 'addons' }), /kustomization\.yaml:1: helmGlobals is refused/);
    const gen = await tree({ 'addons/kustomization.yaml': 'generators: [helm.yaml]\n', 'addons/helm.yaml': 'apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata: {name: h}\n' });
    assert.match(await refusal({ root: gen, path: 'addons', kustomizeHelm: allowed() }), /HelmChartInflationGenerator is refused/);
  });

  it('reads the annotation of an AppProject', () => {
    const project = { ...DEFAULT_PROJECT, metadata: { ...DEFAULT_PROJECT.metadata, name: 'addons', annotations: { [KUSTOMIZE_HELM_ANNOTATION]: 'true' } } };
    assert.deepEqual(kustomizeHelmPolicy(project), { project: 'addons', allowed: true, sourceRepos: ['*'] });
  });
});

describe('kustomize helmCharts in a project that allows them', () => {
  it('renders a chart from the loopback repository as kubectl kustomize --enable-helm does, object for object', async () => {
    const root = await tree({
      ...kustomization(ingressEntry(repo.url, '    valuesFile: ingress-values.yaml\n    valuesInline:\n      replicaCount: 2\n')),
      'addons/ingress-values.yaml': 'image:\n  repository: registry.example/ingress\n  tag: v1.12.0\nservice:\n  type: ClusterIP\n  annotations: {}\n',
    });
    const before = requests;
    const result = await new Renderer().render({ root, path: 'addons', kustomizeHelm: allowed([`${repo.url}`]) });
    assert.equal(requests - before, 2, 'gitwave fetched index.yaml and the archive once');
    assert.equal(result.type, 'kustomize');
    const expected = await kubectlKustomize(root, 'addons');
    assert.deepEqual(result.objects.map((o) => o.object), expected);
    const deployment = result.objects.find((o) => o.object.kind === 'Deployment')!.object as unknown as { metadata: { name: string }; spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } };
    assert.equal(deployment.metadata.name, 'team-edge-controller', 'kustomize transformed the chart\'s output');
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(deployment.spec.template.spec.containers[0].image, 'registry.example/ingress:v1.12.0');
    assert.ok(result.objects.some((o) => o.object.kind === 'CustomResourceDefinition'), 'includeCRDs');
  });

  it('renders a chart vendored under helmGlobals.chartHome without fetching anything', async () => {
    const files: Record<string, string> = {
      'addons/kustomization.yaml': 'helmGlobals:\n  chartHome: vendor\nhelmCharts:\n  - name: agent\n    releaseName: dd\n    valuesInline: {site: eu.example.io}\n',
    };
    for (const [name, text] of Object.entries(AGENT_CHART)) files[`addons/vendor/agent/${name}`] = text;
    const root = await tree(files);
    const before = requests;
    const result = await new Renderer().render({ root, path: 'addons', kustomizeHelm: allowed([]) });
    assert.equal(requests, before);
    assert.deepEqual(result.objects.map((o) => o.object), await kubectlKustomize(root, 'addons'));
    assert.match(JSON.stringify(result.objects), /eu\.example\.io/);
  });

  it('refuses a chart repository the project\'s sourceRepos does not allow, before fetching', async () => {
    const root = await tree(kustomization(ingressEntry()));
    const before = requests;
    const message = await refusal({ root, path: 'addons', kustomizeHelm: allowed(['https://charts.example.com/*']) });
    assert.match(message, /^addons\/kustomization\.yaml:4: helmCharts\[0\]\.repo: repository http:\/\/127\.0\.0\.1:\d+ is not permitted in project "addons"/);
    assert.equal(requests, before);
  });

  it('refuses plain http off loopback, OCI, a missing version and a configHome, naming the field', async () => {
    const cases: Array<[string, RegExp]> = [
      [ingressEntry('http://charts.example.com'), /helmCharts\[0\]\.repo: plain http:\/\/ chart repositories are refused/],
      [ingressEntry('oci://registry.example/charts'), /helmCharts\[0\]\.repo: OCI registries are not supported yet/],
      [`  - name: ingress\n    repo: ${repo.url}\n`, /helmCharts\[0\]\.version: the exact chart version is needed/],
      [`  - name: ../../etc\n    repo: ${repo.url}\n    version: 1.0.0\n`, /helmCharts\[0\]\.name: "\.\.\/\.\.\/etc" is not a chart name/],
      ['  - name: missing\n', /helmCharts\[0\]: no chart at "addons\/charts\/missing" and no repo to fetch it from/],
    ];
    for (const [entry, expected] of cases) {
      const root = await tree(kustomization(entry));
      assert.match(await refusal({ root, path: 'addons', kustomizeHelm: allowed() }), expected);
    }
    const home = await tree({ 'addons/kustomization.yaml': `helmGlobals:\n  configHome: /root/.config/helm\nhelmCharts:\n${ingressEntry()}` });
    assert.match(await refusal({ root: home, path: 'addons', kustomizeHelm: allowed() }), /helmGlobals\.configHome is refused/);
  });

  it('names the entry when the chart repository has no such version', async () => {
    const root = await tree(kustomization(ingressEntry().replace('1.4.0', '9.9.9')));
    const message = await refusal({ root, path: 'addons', kustomizeHelm: allowed() });
    assert.match(message, /^addons\/kustomization\.yaml:3: helmCharts\[0\]: chart ingress 9\.9\.9 from http:\/\/127\.0\.0\.1:\d+: chart "ingress" has no version "9\.9\.9"/);
  });

  it('stops a chart template that loops at the time cap, helm included', async () => {
    const files: Record<string, string> = {
      'addons/kustomization.yaml': 'helmCharts:\n  - name: loop\n',
      'addons/charts/loop/Chart.yaml': 'apiVersion: v2\nname: loop\nversion: 0.1.0\n',
      'addons/charts/loop/values.yaml': '{}\n',
      'addons/charts/loop/templates/loop.yaml': '{{- range $i := until 100000 }}{{- range $j := until 100000 }}{{- end }}{{- end }}\n',
    };
    const root = await tree(files);
    const scratchParent = await mkdtemp(join(work, 'scratch-'));
    const renderer = new Renderer({ limits: { timeoutMs: 1500 }, scratchParent });
    const error = await renderer.render({ root, path: 'addons', kustomizeHelm: allowed() }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof RenderError);
    assert.match(error.message, /^addons\/kustomization\.yaml: (kubectl )?kustomize took longer than 1500 ms: stopped/);
    const { stdout } = await promisify(execFile)('ps', ['-eo', 'args']);
    assert.ok(!stdout.split('\n').some((line) => line.includes(scratchParent)), 'no helm or kustomize process left running in the scratch folder');
  });

  it('keys the render cache by the project\'s policy when helmCharts are allowed', async () => {
    const renderer = new Renderer({ cache: new MemoryRenderCache() });
    const request: RenderRequest = { root: '', path: 'addons', origin: { repo: 'github.com/org/addons', commit: 'a'.repeat(40) } };
    const plain = await renderer.cacheKey(request);
    assert.equal(await renderer.cacheKey({ ...request, kustomizeHelm: kustomizeHelmPolicy(DEFAULT_PROJECT) }), plain, 'a project without the annotation renders as before');
    const one = await renderer.cacheKey({ ...request, kustomizeHelm: allowed(['https://a.example/*']) });
    const two = await renderer.cacheKey({ ...request, kustomizeHelm: allowed(['https://b.example/*']) });
    assert.notEqual(one, plain);
    assert.notEqual(one, two);
  });
});
