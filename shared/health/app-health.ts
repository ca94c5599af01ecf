/**
 * Application health (SPEC-sync §4.3): the worst health of the resources that count, with up to
 * three "caused by" resources, and Missing when the app has resources but none exists live.
 */
import { keyString, type KubeObject, type ResourceKey } from '../model/object.ts';
import { healthOf, type HealthOptions } from './health.ts';
import { HEALTH_ORDER, type HealthStatus, type HealthStatusCode } from './types.ts';

const IGNORE_HEALTHCHECK = 'argocd.argoproj.io/ignore-healthcheck';
const MAX_CAUSES = 3;

/** One resource of the app as the aggregation sees it. */
export interface AppHealthResource {
  key: ResourceKey;
  /** A hook, an ignored object or a Skip object: never counts. Default false. */
  hook?: boolean;
  /** The desired object, if the resource is in Git. */
  desired?: KubeObject | null;
  /** The live object, if it exists. */
  live?: KubeObject | null;
  /** The live object's health if already known; computed with {@link healthOf} when undefined. */
  health?: HealthStatus | null;
}

/** Options of {@link appHealth}: health options plus the app's own identity. */
export interface AppHealthOptions extends HealthOptions {
  /** The Application itself (name and namespace), which never counts toward its own health. */
  app?: { name: string; namespace: string };
}

/** A resource that made the app's health what it is. */
export interface HealthCause {
  key: ResourceKey;
  status: HealthStatusCode;
  message?: string;
}

/** The app's health, with the resources that caused it (empty when Healthy). */
export interface AppHealth extends HealthStatus {
  causedBy: HealthCause[];
}

function isWorse(a: HealthStatusCode, b: HealthStatusCode): boolean {
  return HEALTH_ORDER.indexOf(a) > HEALTH_ORDER.indexOf(b);
}

function isApplication(key: ResourceKey): boolean {
  return key.group === 'argoproj.io' && key.kind === 'Application';
}

function isSelf(key: ResourceKey, options: AppHealthOptions): boolean {
  return isApplication(key) && key.name === options.app?.name && key.namespace === options.app?.namespace;
}

function ignoresHealth(r: AppHealthResource): boolean {
  return [r.live, r.desired].some((o) => o?.metadata.annotations?.[IGNORE_HEALTHCHECK] === 'true');
}

/** The health a resource contributes, or null when it is skipped (§4.3's list). */
function contribution(r: AppHealthResource, options: AppHealthOptions): HealthStatus | null {
  if (r.hook || !r.live || ignoresHealth(r) || isSelf(r.key, options)) return null;
  const status = r.health === undefined ? healthOf(r.live, options) : r.health;
  if (status === null) return null;
  if (isApplication(r.key) && (status.status === 'Missing' || status.status === 'Unknown')) return null;
  return status;
}

function causeMessage(causes: HealthCause[]): string | undefined {
  if (causes.length === 0) return undefined;
  return 'caused by: ' + causes.map((c) => keyString(c.key) + (c.message ? ` (${c.message})` : '')).join(', ');
}

/**
 * The health of an Application from its resources.
 * @example appHealth([{ key, live: degradedDeployment }]) // { status: 'Degraded', message: 'caused by: apps/Deployment/ns/web (...)', causedBy: [...] }
 * @example appHealth([{ key, desired: cm, live: null }]) // { status: 'Missing', ... }
 */
export function appHealth(resources: AppHealthResource[], options: AppHealthOptions = {}): AppHealth {
  const nonHooks = resources.filter((r) => !r.hook);
  if (nonHooks.length > 0 && nonHooks.every((r) => !r.live)) {
    return { status: 'Missing', message: 'no resource of the app exists live', causedBy: [] };
  }
  let worst: HealthStatusCode = 'Healthy';
  let causes: HealthCause[] = [];
  for (const r of resources) {
    const h = contribution(r, options);
    if (h === null || h.status === 'Healthy') continue;
    const cause: HealthCause = h.message ? { key: r.key, status: h.status, message: h.message } : { key: r.key, status: h.status };
    if (isWorse(h.status, worst)) [worst, causes] = [h.status, [cause]];
    else if (h.status === worst && causes.length < MAX_CAUSES) causes.push(cause);
  }
  const message = causeMessage(causes);
  return message ? { status: worst, message, causedBy: causes } : { status: worst, causedBy: causes };
}
