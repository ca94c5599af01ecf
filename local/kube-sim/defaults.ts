/**
 * The defaults the real API server fills in for the kinds users deploy (replicas, strategies,
 * pod-template fields, Service cluster IPs and ports, Secret `stringData`), so that a dry-run
 * result looks like what the cluster will store, and health checks read the fields they expect.
 * Only missing fields are filled; nothing the user wrote is changed.
 */
import type { Obj } from './store.ts';

type Defaulter = (obj: Obj, ctx: DefaultContext) => void;

export interface DefaultContext {
  /** Allocates a cluster IP for a new Service. */
  allocateIp(): string;
  allocateNodePort(): number;
}

function fill(target: Obj, defaults: Obj): void {
  for (const [key, value] of Object.entries(defaults)) if (target[key] === undefined) target[key] = structuredClone(value);
}

function imagePullPolicy(image: unknown): string {
  const ref = String(image ?? '');
  if (ref.includes('@')) return 'IfNotPresent';
  const tag = /:([^/:]+)$/.exec(ref)?.[1];
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Obj): void {
  if (!c || typeof c !== 'object') return;
  fill(c, { imagePullPolicy: imagePullPolicy(c.image), terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} });
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (p && typeof p === 'object') fill(p, { protocol: 'TCP' });
}

function defaultPodSpec(spec: Obj | undefined, restartPolicy = 'Always'): void {
  if (!spec || typeof spec !== 'object') return;
  fill(spec, { restartPolicy, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 });
  for (const list of [spec.containers, spec.initContainers]) if (Array.isArray(list)) list.forEach(defaultContainer);
}

function template(obj: Obj, restartPolicy?: string): void {
  defaultPodSpec(obj.spec?.template?.spec, restartPolicy);
}

const DEFAULTERS: Record<string, Defaulter> = {
  'apps/Deployment': (o) => {
    fill(o.spec ?? (o.spec = {}), { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: {} });
    // An empty strategy (what `kubectl create deployment` sends) is defaulted like a missing one.
    const strategy = o.spec.strategy;
    if (strategy && typeof strategy === 'object') {
      fill(strategy, { type: 'RollingUpdate' });
      if (strategy.type === 'RollingUpdate') fill(strategy.rollingUpdate ?? (strategy.rollingUpdate = {}), { maxSurge: '25%', maxUnavailable: '25%' });
    }
    template(o);
  },
  'apps/ReplicaSet': (o) => { fill(o.spec ?? (o.spec = {}), { replicas: 1 }); template(o); },
  'apps/StatefulSet': (o) => {
    fill(o.spec ?? (o.spec = {}), { replicas: 1, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } });
    template(o);
  },
  'apps/DaemonSet': (o) => {
    fill(o.spec ?? (o.spec = {}), { revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } });
    template(o);
  },
  'batch/Job': (o) => {
    fill(o.spec ?? (o.spec = {}), { backoffLimit: 6, completions: 1, parallelism: 1, completionMode: 'NonIndexed', suspend: false });
    jobSelector(o);
    template(o, 'Never');
  },
  'batch/CronJob': (o) => {
    fill(o.spec ?? (o.spec = {}), { concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    defaultPodSpec(o.spec?.jobTemplate?.spec?.template?.spec, 'Never');
  },
  '/Pod': (o) => defaultPodSpec(o.spec),
  '/ReplicationController': (o) => { fill(o.spec ?? (o.spec = {}), { replicas: 1 }); template(o); },
  '/Service': defaultService,
  '/Secret': defaultSecret,
  '/Namespace': (o) => {
    fill(o.spec ?? (o.spec = {}), { finalizers: ['kubernetes'] });
    o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
  },
  '/PersistentVolumeClaim': (o) => fill(o.spec ?? (o.spec = {}), { volumeMode: 'Filesystem' }),
  'apiextensions.k8s.io/CustomResourceDefinition': (o) => fill(o.spec ?? (o.spec = {}), { conversion: { strategy: 'None' } }),
};

/** A Job selects its pods by its own uid, and labels the template with it (unless manualSelector). */
function jobSelector(o: Obj): void {
  if (o.spec.manualSelector || o.spec.selector || !o.metadata.uid) return;
  const labels = { 'batch.kubernetes.io/controller-uid': o.metadata.uid, 'batch.kubernetes.io/job-name': o.metadata.name, 'controller-uid': o.metadata.uid, 'job-name': o.metadata.name };
  o.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': o.metadata.uid } };
  const tmpl = o.spec.template ?? (o.spec.template = {});
  tmpl.metadata = { ...(tmpl.metadata ?? {}), labels: { ...(tmpl.metadata?.labels ?? {}), ...labels } };
}

function defaultService(o: Obj, ctx: DefaultContext): void {
  const spec = o.spec ?? (o.spec = {});
  fill(spec, { type: 'ClusterIP', sessionAffinity: 'None' });
  if (spec.type !== 'ExternalName') {
    fill(spec, { internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    if (spec.clusterIP === undefined) spec.clusterIP = ctx.allocateIp();
    if (spec.clusterIPs === undefined) spec.clusterIPs = [spec.clusterIP];
  }
  const external = spec.type === 'LoadBalancer' || spec.type === 'NodePort';
  if (external) fill(spec, { externalTrafficPolicy: 'Cluster' });
  if (spec.type === 'LoadBalancer') fill(spec, { allocateLoadBalancerNodePorts: true });
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!p || typeof p !== 'object') continue;
    fill(p, { protocol: 'TCP', targetPort: p.port });
    if (external && p.nodePort === undefined) p.nodePort = ctx.allocateNodePort();
  }
}

/** `stringData` is write-only: it is merged into `data` (base64) and never stored. */
function defaultSecret(o: Obj): void {
  if (o.type === undefined) o.type = 'Opaque';
  if (o.stringData && typeof o.stringData === 'object') {
    o.data = { ...(o.data ?? {}) };
    for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v)).toString('base64');
  }
  delete o.stringData;
}

/** Fills the defaults of an object's kind, in place. */
export function applyDefaults(group: string, obj: Obj, ctx: DefaultContext): void {
  DEFAULTERS[`${group}/${obj.kind}`]?.(obj, ctx);
}

/** The status the API server gives a new object of some kinds (status written by clients is dropped). */
export function initialStatus(group: string, obj: Obj): Obj | undefined {
  if (group !== '') return undefined;
  if (obj.kind === 'Namespace') return { phase: 'Active' };
  if (obj.kind === 'PersistentVolumeClaim') return { phase: 'Pending' };
  if (obj.kind === 'Pod') return { phase: 'Pending', qosClass: 'BestEffort' };
  return undefined;
}
