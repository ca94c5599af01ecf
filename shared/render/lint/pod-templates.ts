/**
 * Where the containers of an object are: the Pod template of a Deployment, StatefulSet, DaemonSet,
 * ReplicaSet or Job, the job template's Pod template of a CronJob, and a Pod's own spec. Hooks are
 * ordinary objects here: a PreSync Job is checked like any other.
 */
import { isRecord, type KubeObject } from '../../model/object.ts';

/** A container and where it is, for messages. */
export interface ContainerRef {
  container: Record<string, unknown>;
  name: string;
  init: boolean;
  /** `spec.template.spec.containers[0]` */
  field: string;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Kinds whose containers run as long-lived replicas (the readinessProbe rule applies to them). */
export const SERVING_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** The Pod spec of an object and its field path, or undefined for kinds without one. */
function podSpecOf(object: KubeObject): { spec: Record<string, unknown>; field: string } | undefined {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  if (!spec) return undefined;
  if (object.kind === 'Pod') return { spec, field: 'spec' };
  if (TEMPLATE_KINDS.has(object.kind)) return templateSpec(spec.template, 'spec.template.spec');
  if (object.kind === 'CronJob' && isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec)) {
    return templateSpec(spec.jobTemplate.spec.template, 'spec.jobTemplate.spec.template.spec');
  }
  return undefined;
}

function templateSpec(template: unknown, field: string): { spec: Record<string, unknown>; field: string } | undefined {
  return isRecord(template) && isRecord(template.spec) ? { spec: template.spec, field } : undefined;
}

/** Every container of the object's Pod spec; init containers only when asked. */
export function containersOf(object: KubeObject, options: { init: boolean }): ContainerRef[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  const refs: ContainerRef[] = [];
  const lists: Array<[string, boolean]> = options.init ? [['initContainers', true], ['containers', false]] : [['containers', false]];
  for (const [list, init] of lists) {
    const items = Array.isArray(pod.spec[list]) ? (pod.spec[list] as unknown[]) : [];
    items.forEach((container, i) => {
      if (!isRecord(container)) return;
      const name = typeof container.name === 'string' ? container.name : `#${i}`;
      refs.push({ container, name, init, field: `${pod.field}.${list}[${i}]` });
    });
  }
  return refs;
}

/** `container "web"` or `init container "wait-db"`, for messages. */
export function describeContainer(ref: ContainerRef): string {
  return `${ref.init ? 'init container' : 'container'} "${ref.name}"`;
}
