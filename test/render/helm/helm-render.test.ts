// Helm sources through the real helm: a chart repository on loopback (built with `helm package` and
// `helm repo index`), conformance with `helm template` object for object, hooks in their phases,
// and every hostile input refused with the field named.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { hookPhases } from '../../../shared/model/annotations.ts';
import { DEFAULT_PROJECT, type AppProject } from '../../../shared/model/appproject.ts';
import { checkSourceRepo } from '../../../shared/model/project-policy.ts';
import { findHelm, Renderer, RenderError, type RenderRequest } from '../../../shared/render/index.ts';
import { AGENT_CHART, helm, rawTarGz, startChartRepository, writeChart, zeroFileTarGz } from './charts.ts';

let work: string;
let helmBin: string;
let repo: { url: string; server: Server };

async function objectsOf(yamlText: string): Promise<unknown[]> {
  return parseAllDocuments(yamlText).map((d) => d.toJS()).filter((v) => v !== null);
}

/** Adds a raw archive to the served repository's index under `chart` `version`, digest included. */
async function publishRaw(chart: string, version: string, archive: Buffer, digest = createHash('sha256').update(archive).digest('hex')): Promise<void> {
  const file = `${chart}-${version}.tgz`;
  await writeFile(join(work, 'repo', file), archive);
  const index = parse(await readFile(join(work, 'repo', 'index.yaml'), 'utf8')) as { entries: Record<string, unknown[]> };
  index.entries[chart] = [{ name: chart, version, apiVersion: 'v2', urls: [file], digest }];
  await writeFile(join(work, 'repo', 'index.yaml'), JSON.stringify(index));
}

function chartRequest(chart: string, version: string, helmOptions = {}, repoURL = repo.url): RenderRequest {
  return { root: '', path: '.', appName: 'edge', namespace: 'ingress', source: { chart: { repoURL, chart, version }, helm: helmOptions } };
}

async function refusal(request: RenderRequest, renderer = new Renderer()): Promise<string> {
  const error = await renderer.render(request).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof RenderError, `expected a RenderError, got ${String(error)}`);
  return error.message;
}

before(async () => {
  ({ work, helmBin, repo } = await startChartRepository((await findHelm()).executable, 'gitwave-helm-test-'));
});

after(async () => {
  repo?.server.close();
  await rm(work, { recursive: true, force: true });
});

describe('Helm chart repository on loopback', () => {
  it('renders the ingress chart as helm template does, object for object (CRDs included)', async () => {
    const values = { parameters: [{ name: 'replicaCount', value: '3' }, { name: 'service.annotations.a', value: 'x,y', forceString: true }], valuesObject: { image: { tag: 'v1.12.0' } } };
    const result = await new Renderer().render(chartRequest('ingress', '1.4.0', values));
    const expected = await helm(helmBin, ['template', 'edge', join(work, 'src', 'ingress'), '--namespace', 'ingress', '--include-crds',
      '--set', 'image.tag=v1.12.0', '--set', 'replicaCount=3', '--set-string', 'service.annotations.a=x\\,y'], work);
    assert.equal(result.type, 'helm');
    assert.deepEqual(result.objects.map((o) => o.object), await objectsOf(expected));
    const deployment = result.objects.find((o) => o.object.kind === 'Deployment')!;
    assert.equal(deployment.source.file, 'ingress/templates/deployment.yaml');
    assert.equal((deployment.object as unknown as { spec: { replicas: number } }).spec.replicas, 3);
    assert.ok(result.objects.some((o) => o.object.kind === 'CustomResourceDefinition'));
    assert.ok(!result.objects.some((o) => o.object.metadata.name === 'lookup-found'), 'lookup returns nothing');
  });

  it('renders the DaemonSet agent with its vendored dependency as helm template does', async () => {
    const options = { releaseName: 'dd', valuesObject: { site: 'eu.example.io', logs: { enabled: true } }, parameters: [{ name: 'checks', value: 'a,b' }] };
    const result = await new Renderer().render(chartRequest('agent', '3.2.1', options));
    const expected = await helm(helmBin, ['template', 'dd', join(work, 'src', 'agent'), '--namespace', 'ingress', '--include-crds',
      '--set', 'site=eu.example.io', '--set', 'logs.enabled=true', '--set', 'checks=a\\,b'], work);
    assert.deepEqual(result.objects.map((o) => o.object), await objectsOf(expected));
    assert.ok(result.objects.some((o) => o.object.kind === 'DaemonSet' && o.object.metadata.name === 'dd-agent'));
  });

  it('places the chart hooks in their sync phases and drops the test hook', async () => {
    const result = await new Renderer().render(chartRequest('ingress', '1.4.0', { skipCrds: true }));
    const phases = new Map(result.objects.map((o) => [o.object.metadata.name, hookPhases(o.object)]));
    assert.deepEqual(phases.get('edge-controller-admission-create'), ['PreSync']);
    assert.deepEqual(phases.get('edge-controller-admission-patch'), ['PostSync']);
    assert.deepEqual(phases.get('edge-controller-test'), []);
    assert.deepEqual(phases.get('edge-controller'), []);
    assert.ok(!result.objects.some((o) => o.object.kind === 'CustomResourceDefinition'), 'skipCrds leaves the CRDs out');
  });

  it('passes kubeVersion and apiVersions (the cluster\'s, unless the Application sets them)', async () => {
    const request = { ...chartRequest('ingress', '1.4.0'), cluster: { kubeVersion: '1.29.4' } };
    const deployment = (await new Renderer().render(request)).objects.find((o) => o.object.kind === 'Deployment')!;
    assert.match(JSON.stringify(deployment.object), /--kube=v1\.29\.4/);
    const own = (await new Renderer().render({ ...request, source: { ...request.source, helm: { kubeVersion: '1.31.0' } } })).objects.find((o) => o.object.kind === 'Deployment')!;
    assert.match(JSON.stringify(own.object), /--kube=v1\.31\.0/);
  });

  it('refuses an unknown version, naming targetRevision and listing the versions', async () => {
    assert.match(await refusal(chartRequest('ingress', '1.4')), /^spec\.source\.targetRevision: chart "ingress" has no version "1\.4" .*1\.4\.0/);
  });
});

describe('Helm chart in a Git folder', () => {
  it('reads value files from the repository and refuses one outside it', async () => {
    const root = join(work, 'git');
    await writeChart(join(root, 'addons', 'agent'), AGENT_CHART);
    await writeFile(join(root, 'addons', 'prod.yaml'), 'site: prod.example.io\n');
    const request: RenderRequest = { root, path: 'addons/agent', appName: 'agent', source: { helm: { valueFiles: ['../prod.yaml', 'missing.yaml'], ignoreMissingValueFiles: true } } };
    const result = await new Renderer().render(request);
    assert.match(JSON.stringify(result.objects), /prod\.example\.io/);
    assert.equal(result.objects[0].source.file.startsWith('addons/agent/'), true);
    assert.match(await refusal({ ...request, source: { helm: { valueFiles: ['../../../etc/passwd'] } } }), /^spec\.source\.helm\.valueFiles\[0\]: path "\.\.\/\.\.\/\.\.\/etc\/passwd" leaves the root/);
    assert.match(await refusal({ ...request, source: { helm: { valueFiles: ['missing.yaml'] } } }), /^spec\.source\.helm\.valueFiles\[0\]: "missing\.yaml" does not exist/);
    assert.match(await refusal({ ...request, source: { helm: { fileParameters: [{ name: 'x', path: '/etc/hostname' }] } } }), /^spec\.source\.helm\.fileParameters\[0\]\.path: absolute path/);
  });

  it('detects a chart by its Chart.yaml and fails on a dependency not vendored in charts/', async () => {
    const root = join(work, 'git2');
    await writeChart(join(root, 'agent'), { ...AGENT_CHART, 'charts/common/Chart.yaml': '', 'charts/common/templates/_labels.tpl': '' });
    await rm(join(root, 'agent', 'charts'), { recursive: true });
    assert.match(await refusal({ root, path: 'agent', appName: 'a' }), /^agent: helm template failed: .*common/);
  });

  it('stops a template that loops, at the time cap, naming the chart', async () => {
    const root = join(work, 'git3');
    await writeChart(join(root, 'loop'), { 'Chart.yaml': 'apiVersion: v2\nname: loop\nversion: 0.1.0\n',
      'templates/loop.yaml': '{{- range $i := until 100000 }}{{- range $j := until 100000 }}{{- end }}{{- end }}\n' });
    const renderer = new Renderer({ limits: { timeoutMs: 1500 } });
    assert.match(await refusal({ root, path: 'loop', appName: 'a' }, renderer), /^loop: helm template took longer than 1500 ms: stopped/);
  });
});

describe('hostile chart archives and repositories', () => {
  it('refuses a tar bomb (100 MB of zeros in a small archive) before helm runs', async () => {
    await publishRaw('bomb', '1.0.0', await zeroFileTarGz('bomb', 100 * 1024 * 1024));
    assert.match(await refusal(chartRequest('bomb', '1.0.0')), /^spec\.source\.chart: chart bomb 1\.0\.0: refused .*\(limit reached\)/);
  });

  it('refuses ../ entries, absolute entries and symlinks leaving the chart', async () => {
    await publishRaw('dots', '1.0.0', rawTarGz([{ name: 'dots/Chart.yaml', body: 'apiVersion: v2\nname: dots\nversion: 1.0.0\n' }, { name: 'dots/../../evil.yaml', body: 'x' }]));
    assert.match(await refusal(chartRequest('dots', '1.0.0')), /^spec\.source\.chart: chart dots 1\.0\.0: .*"\.\." component/);
    await publishRaw('link', '1.0.0', rawTarGz([{ name: 'link/Chart.yaml', body: 'apiVersion: v2\nname: link\nversion: 1.0.0\n' }, { name: 'link/templates/x.yaml', link: '/etc/passwd' }]));
    assert.match(await refusal(chartRequest('link', '1.0.0')), /^spec\.source\.chart: chart link 1\.0\.0: .*symlink/);
  });

  it('stops downloading a 100 MB chart archive at the size cap, naming repoURL', async () => {
    // A repository whose archive streams 100 MB of incompressible bytes, generated as it is sent.
    let sent = 0;
    const huge = createServer((request, response) => {
      if (request.url === '/index.yaml') {
        return void response.end(JSON.stringify({ apiVersion: 'v1', entries: { huge: [{ name: 'huge', version: '1.0.0', urls: ['huge-1.0.0.tgz'] }] } }));
      }
      response.writeHead(200, { 'content-length': 100 * 1024 * 1024 });
      const pump = () => {
        while (sent < 100 * 1024 * 1024) {
          sent += 64 * 1024;
          if (!response.write(randomBytes(64 * 1024))) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('close', () => response.removeAllListeners('drain'));
      pump();
    });
    await new Promise<void>((resolve) => huge.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(huge.address() as AddressInfo).port}`;
      const message = await refusal(chartRequest('huge', '1.0.0', {}, url));
      assert.match(message, /^spec\.source\.repoURL: refused download from http:\/\/127\.0\.0\.1:\d+\/huge-1\.0\.0\.tgz: more than 16777216 bytes \(limit reached\)$/);
      assert.ok(sent < 100 * 1024 * 1024, `the download stopped early (${sent} bytes sent)`);
    } finally {
      huge.closeAllConnections();
      huge.close();
    }
  });

  it('refuses an archive whose digest does not match index.yaml', async () => {
    await publishRaw('tampered', '1.0.0', rawTarGz([{ name: 'tampered/Chart.yaml', body: 'apiVersion: v2\nname: tampered\nversion: 1.0.0\n' }]), '0'.repeat(64));
    assert.match(await refusal(chartRequest('tampered', '1.0.0')), /^spec\.source\.chart: .*sha256 does not match/);
  });

  it('refuses OCI and non-loopback http repositories, naming repoURL', async () => {
    assert.match(await refusal(chartRequest('ingress', '1.4.0', {}, 'oci://registry.example/charts')), /^spec\.source\.repoURL: OCI registries are not supported yet/);
    assert.match(await refusal(chartRequest('ingress', '1.4.0', {}, 'registry.example/charts')), /^spec\.source\.repoURL: OCI registries/);
    assert.match(await refusal(chartRequest('ingress', '1.4.0', {}, 'http://10.1.2.3/charts')), /^spec\.source\.repoURL: plain http:\/\/ chart repositories are refused/);
  });

  it('applies the project\'s sourceRepos to the chart repository URL', () => {
    const project: AppProject = { ...DEFAULT_PROJECT, metadata: { ...DEFAULT_PROJECT.metadata, name: 'addons' }, spec: { ...DEFAULT_PROJECT.spec, sourceRepos: ['https://charts.example/*'] } };
    assert.equal(checkSourceRepo(project, 'https://charts.example/stable'), undefined);
    assert.match(checkSourceRepo(project, repo.url) ?? '', /is not permitted in project "addons"/);
  });
});

describe('gitwave render / plan --app with a chart repository source', () => {
  it('renders and plans the Application\'s chart with no path, hooks in their phases', async () => {
    const { gitwave, tempFile } = await import('../../cli/helpers.ts');
    const app = tempFile('edge.yaml', [
      'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: {name: edge}', 'spec:',
      `  source: {repoURL: '${repo.url}', chart: ingress, targetRevision: 1.4.0, helm: {parameters: [{name: replicaCount, value: '2'}]}}`,
      '  destination: {server: https://kubernetes.default.svc, namespace: ingress}', '',
    ].join('\n'));
    const rendered = await gitwave(['render', '--app', app]);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.match(rendered.stdout, /kind: Deployment[\s\S]*replicas: 2/);
    const planned = await gitwave(['plan', '--app', app, '-o', 'json']);
    assert.equal(planned.code, 0, planned.stderr);
    const steps = (JSON.parse(planned.stdout) as { steps: Array<{ phase: string; name: string }> }).steps;
    assert.equal(steps.find((s) => s.name === 'edge-controller-admission-create')?.phase, 'PreSync');
    assert.equal(steps.find((s) => s.name === 'edge-controller-admission-patch')?.phase, 'PostSync');
    assert.equal(steps.find((s) => s.name === 'edge-controller')?.phase, 'Sync');
  });
});
