/**
 * Charts made for the Helm tests, shaped like the team's add-ons: an ingress controller (a CRD, a
 * pre-install hook Job, a post-install hook, RBAC, a Deployment and a Service) and a DaemonSet agent.
 * Plus the helpers that package them with the real `helm package` / `helm repo index` and serve the
 * folder from a static server on loopback, and a raw tar writer for hostile archives.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { createGzip, gzipSync } from 'node:zlib';
import { once } from 'node:events';

export const INGRESS_CHART: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: ingress\nversion: 1.4.0\nappVersion: "1.11.0"\n',
  'values.yaml': 'replicaCount: 1\nimage:\n  repository: registry.example/ingress\n  tag: v1.11.0\nservice:\n  type: LoadBalancer\n  annotations: {}\n',
  'crds/ingressclassparams.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ingressparams.example.io\nspec:\n  group: example.io\n  names: {kind: IngressParams, plural: ingressparams}\n  scope: Cluster\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema: {openAPIV3Schema: {type: object}}\n',
  'templates/_helpers.tpl': '{{- define "ingress.fullname" -}}{{ .Release.Name }}-controller{{- end }}\n',
  'templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "ingress.fullname" . }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  selector:\n    matchLabels: {app: {{ include "ingress.fullname" . }}}\n  template:\n    metadata:\n      labels: {app: {{ include "ingress.fullname" . }}}\n    spec:\n      containers:\n      - name: controller\n        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n        args: ["--kube={{ .Capabilities.KubeVersion.Version }}"]\n',
  'templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "ingress.fullname" . }}\n  {{- with .Values.service.annotations }}\n  annotations: {{ toYaml . | nindent 4 }}\n  {{- end }}\nspec:\n  type: {{ .Values.service.type }}\n  ports: [{port: 80, name: http}]\n  selector: {app: {{ include "ingress.fullname" . }}}\n',
  'templates/rbac.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {{ include "ingress.fullname" . }}\nrules: [{apiGroups: [""], resources: [services], verbs: [get, list, watch]}]\n{{- if (lookup "v1" "Namespace" "" "kube-system") }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: lookup-found}\n{{- end }}\n',
  'templates/admission-job.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ include "ingress.fullname" . }}-admission-create\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: "-5"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: create, image: registry.example/certgen:v1}]\n',
  'templates/post-job.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ include "ingress.fullname" . }}-admission-patch\n  annotations:\n    helm.sh/hook: post-install\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: patch, image: registry.example/certgen:v1}]\n',
  'templates/tests/test.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ include "ingress.fullname" . }}-test\n  annotations: {helm.sh/hook: test}\nspec:\n  containers: [{name: t, image: busybox}]\n',
};

export const AGENT_CHART: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: agent\nversion: 3.2.1\ndependencies:\n- name: common\n  version: 0.1.0\n',
  'values.yaml': 'site: example.io\napiKeySecret: agent-key\ntolerations: []\nlogs:\n  enabled: false\n',
  'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
  'charts/common/templates/_labels.tpl': '{{- define "common.labels" -}}app.kubernetes.io/managed-by: {{ .Release.Service }}{{- end }}\n',
  'templates/daemonset.yaml': 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: {{ .Release.Name }}-agent\n  labels:\n    {{- include "common.labels" . | nindent 4 }}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      tolerations: {{ toYaml .Values.tolerations | nindent 8 }}\n      containers:\n      - name: agent\n        image: registry.example/agent:7\n        env:\n        - {name: SITE, value: {{ .Values.site | quote }}}\n        - {name: LOGS, value: {{ .Values.logs.enabled | quote }}}\n        - {name: API_KEY, valueFrom: {secretKeyRef: {name: {{ .Values.apiKeySecret }}, key: api-key}}}\n',
  'templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  checks: {{ .Values.checks | default "none" | quote }}\n',
};

/** Writes `files` under `dir`. */
export async function writeChart(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

/** Runs the real helm (tests only) with an empty home. */
export async function helm(executable: string, args: string[], home: string): Promise<string> {
  const { stdout } = await promisify(execFile)(executable, args, {
    env: { HOME: home, HELM_CACHE_HOME: join(home, 'c'), HELM_CONFIG_HOME: join(home, 'f'), HELM_DATA_HOME: join(home, 'd') },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** A static file server for `dir` on 127.0.0.1; stop it with `close()`. */
export async function serveFolder(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(dir)) return void response.writeHead(403).end();
    stat(path).then((info) => {
      if (!info.isFile()) throw new Error('not a file');
      response.writeHead(200, { 'content-length': info.size });
      createReadStream(path).pipe(response);
    }, () => response.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A work folder with the ingress and agent charts packaged by the real helm and served on loopback. */
export interface ChartRepository {
  work: string;
  helmBin: string;
  repo: { url: string; server: Server };
}

/** Builds the loopback chart repository of the Helm tests (`helm package`, `helm repo index`). */
export async function startChartRepository(helmBin: string, prefix: string): Promise<ChartRepository> {
  const work = await mkdtemp(join(tmpdir(), prefix));
  await writeChart(join(work, 'src', 'ingress'), INGRESS_CHART);
  await writeChart(join(work, 'src', 'agent'), AGENT_CHART);
  await helm(helmBin, ['package', join(work, 'src', 'ingress'), join(work, 'src', 'agent'), '-d', join(work, 'repo')], work);
  const repo = await serveFolder(join(work, 'repo'));
  await helm(helmBin, ['repo', 'index', join(work, 'repo'), '--url', repo.url], work);
  return { work, helmBin, repo };
}

/** One ustar header block (512 bytes). */
function tarHeader(name: string, size: number, type: string, link = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100);
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write(type, 156);
  block.write(link, 157, 100);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

/** A gzipped tar made of raw entries (name, body or symlink target), for hostile archives. */
export function rawTarGz(entries: Array<{ name: string; body?: string; link?: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    if (entry.link !== undefined) {
      blocks.push(tarHeader(entry.name, 0, '2', entry.link));
      continue;
    }
    const body = Buffer.from(entry.body ?? '');
    blocks.push(tarHeader(entry.name, body.length, '0'), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A gzipped tar with one file of `size` zero bytes under `top/`, compressed as it is generated (never held whole). */
export async function zeroFileTarGz(top: string, size: number): Promise<Buffer> {
  const gzip = createGzip();
  const parts: Buffer[] = [];
  gzip.on('data', (data: Buffer) => parts.push(data));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(tarHeader(`${top}/Chart.yaml`, 0, '0'));
  gzip.write(tarHeader(`${top}/templates/big.yaml`, size, '0'));
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= chunk.length) {
    if (!gzip.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(gzip, 'drain');
  }
  gzip.end(Buffer.alloc((512 - (size % 512)) % 512 + 1024));
  await done;
  return Buffer.concat(parts);
}
