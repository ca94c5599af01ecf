/**
 * The table of built-in health checks (SPEC-sync §4.2), keyed by group and kind, each with the API
 * versions it understands. A matching group/kind in a version not listed reads Unknown, as Argo CD's
 * "unsupported GVK" error does; `*` accepts any version (checks that read only stable fields).
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { apiServiceHealth } from './apiservice.ts';
import { crdHealth } from './crd.ts';
import { cronJobHealth } from './cronjob.ts';
import { daemonSetHealth } from './daemonset.ts';
import { deploymentHealth } from './deployment.ts';
import { hpaV1Health, hpaV2Health } from './hpa.ts';
import { jobHealth } from './job.ts';
import { pdbHealth } from './pdb.ts';
import { podHealth } from './pod.ts';
import { pvcHealth } from './pvc.ts';
import { replicaSetHealth } from './replicaset.ts';
import { statefulSetHealth } from './statefulset.ts';
import { ingressHealth, serviceHealth } from './service.ts';
import { workflowHealth } from './workflow.ts';

/** A health check of one kind: a status, or an exception that the caller turns into Unknown. */
export type BuiltinCheck = (obj: KubeObject) => HealthStatus;

/** Checks of one group/kind, by API version (`*` = any version). */
type VersionTable = Partial<Record<string, BuiltinCheck>>;

const BUILTINS: Record<string, VersionTable> = {
  'apps/Deployment': { v1: deploymentHealth },
  'apps/StatefulSet': { v1: statefulSetHealth },
  'apps/DaemonSet': { v1: daemonSetHealth },
  'apps/ReplicaSet': { v1: replicaSetHealth },
  '/Service': { v1: serviceHealth },
  '/PersistentVolumeClaim': { v1: pvcHealth },
  '/Pod': { v1: podHealth },
  'networking.k8s.io/Ingress': { '*': ingressHealth },
  'extensions/Ingress': { '*': ingressHealth },
  'batch/Job': { v1: jobHealth },
  'batch/CronJob': { '*': cronJobHealth },
  'autoscaling/HorizontalPodAutoscaler': { v1: hpaV1Health, v2: hpaV2Health, v2beta1: hpaV2Health, v2beta2: hpaV2Health },
  'apiregistration.k8s.io/APIService': { v1: apiServiceHealth, v1beta1: apiServiceHealth },
  'argoproj.io/Workflow': { '*': workflowHealth },
  'apiextensions.k8s.io/CustomResourceDefinition': { '*': crdHealth },
  'policy/PodDisruptionBudget': { '*': pdbHealth },
};

/** What the built-in table says about a group/kind/version. */
export type BuiltinLookup =
  | { found: 'check'; check: BuiltinCheck }
  | { found: 'unsupported-version' }
  | { found: 'none' };

/**
 * The built-in check for a group, kind and version.
 * @example builtinCheck('apps', 'Deployment', 'v1beta2') // { found: 'unsupported-version' }
 */
export function builtinCheck(group: string, kind: string, version: string): BuiltinLookup {
  const versions = BUILTINS[`${group}/${kind}`];
  if (!versions) return { found: 'none' };
  const check = versions[version] ?? versions['*'];
  return check ? { found: 'check', check } : { found: 'unsupported-version' };
}

/**
 * Whether gitwave has a built-in health check for a group/kind (in some version). The planner uses
 * it to know which kinds a wave waits on (argo-cd #14442).
 * @example hasBuiltinHealth('', 'ConfigMap') // false
 */
export function hasBuiltinHealth(group: string, kind: string): boolean {
  return BUILTINS[`${group}/${kind}`] !== undefined;
}
