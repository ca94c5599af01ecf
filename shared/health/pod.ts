/**
 * Health of core/v1 Pods (SPEC-sync §4.2). Pods that run to completion (restartPolicy Never or
 * OnFailure, and every hook Pod) are not failed for waiting errors such as ImagePullBackOff: a hook
 * failed that way would be marked failed and then run anyway once the image appears.
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { isHook } from '../model/annotations.ts';
import { conditionsOf, field, findCondition, health, num, objects, str, type Json } from './util.ts';

const IGNORE_RESTART_POLICY = 'argocd.argoproj.io/ignore-restart-policy';

/** Long-running: restartPolicy Always (the Kubernetes default), or a non-hook Pod that asks to be treated so. */
function isLongRunning(obj: KubeObject): boolean {
  if (str(field(obj, 'spec', 'restartPolicy') ?? 'Always') === 'Always') return true;
  return obj.metadata.annotations?.[IGNORE_RESTART_POLICY] === 'true' && !isHook(obj);
}

function waitingError(obj: KubeObject): HealthStatus | undefined {
  const messages: string[] = [];
  for (const container of objects(field(obj, 'status', 'containerStatuses'))) {
    const reason = str(field(container, 'state', 'waiting', 'reason'));
    if (reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff')) {
      messages.push(str(field(container, 'state', 'waiting', 'message')) || reason);
    }
  }
  return messages.length > 0 ? health('Degraded', messages.join(', ')) : undefined;
}

function terminatedMessage(container: Json): string {
  const terminated = field(container, 'state', 'terminated');
  if (terminated === undefined || terminated === null) return '';
  if (str(field(terminated, 'message'))) return str(field(terminated, 'message'));
  if (field(terminated, 'reason') === 'OOMKilled') return 'OOMKilled';
  const code = num(field(terminated, 'exitCode'));
  return code !== 0 ? `container "${str(container.name)}" failed with exit code ${code}` : '';
}

function failedHealth(obj: KubeObject, podMessage: string): HealthStatus {
  if (podMessage) return health('Degraded', podMessage);
  const containers = [
    ...objects(field(obj, 'status', 'initContainerStatuses')),
    ...objects(field(obj, 'status', 'containerStatuses')),
  ];
  const message = containers.map(terminatedMessage).find((m) => m !== '');
  return health('Degraded', message);
}

function runningLongHealth(obj: KubeObject, podMessage: string): HealthStatus {
  if (findCondition(conditionsOf(obj), 'Ready')?.status === 'True') return health('Healthy', podMessage);
  const restarted = objects(field(obj, 'status', 'containerStatuses'))
    .some((c) => field(c, 'lastState', 'terminated') !== undefined && field(c, 'lastState', 'terminated') !== null);
  return health(restarted ? 'Degraded' : 'Progressing', podMessage);
}

/**
 * Waiting errors of long-running Pods → Degraded; then by phase.
 * @example podHealth(podInPhaseSucceeded) // { status: 'Healthy' }
 */
export function podHealth(obj: KubeObject): HealthStatus {
  const longRunning = isLongRunning(obj);
  const waiting = longRunning ? waitingError(obj) : undefined;
  if (waiting) return waiting;
  const podMessage = str(field(obj, 'status', 'message'));
  switch (field(obj, 'status', 'phase')) {
    case 'Pending':
      return health('Progressing', podMessage);
    case 'Succeeded':
      return health('Healthy', podMessage);
    case 'Failed':
      return failedHealth(obj, podMessage);
    case 'Running':
      return longRunning ? runningLongHealth(obj, podMessage) : health('Progressing', podMessage);
    default:
      return health('Unknown', podMessage);
  }
}
