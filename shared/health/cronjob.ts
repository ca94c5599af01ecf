/**
 * Health of batch CronJobs (SPEC-sync §4.2, Argo CD's bundled Lua check). A suspended CronJob reads
 * Healthy, as Argo CD's does (argo-cd #24428): Suspended would hold up sync waves.
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { field, health, objects, str } from './util.ts';

/**
 * Suspended → Healthy; last run failed (no active jobs) → Degraded; other status → Healthy; no status → Progressing.
 * @example cronJobHealth(cronJobWithoutStatus) // { status: 'Progressing', message: 'waiting for the cronjob' }
 */
export function cronJobHealth(obj: KubeObject): HealthStatus {
  if (field(obj, 'spec', 'suspend') === true) return health('Healthy', 'cronjob is suspended');
  const status = field(obj, 'status');
  if (status === undefined || status === null) return health('Progressing', 'waiting for the cronjob');
  const scheduled = str(field(status, 'lastScheduleTime'));
  const succeeded = str(field(status, 'lastSuccessfulTime'));
  if (!scheduled) return health('Healthy', 'cronjob has not been scheduled yet');
  if (!succeeded) return health('Healthy', 'cronjob never completed successfully; it may not be healthy');
  if (objects(field(status, 'active')).length > 0) return health('Healthy', 'cronjob is running a job');
  // RFC 3339 timestamps in UTC compare correctly as strings; Date.parse also accepts fractions.
  if (Date.parse(succeeded) < Date.parse(scheduled)) {
    return health('Degraded', 'cronjob has not completed its last execution successfully');
  }
  return health('Healthy', 'cronjob has completed its last execution successfully');
}
