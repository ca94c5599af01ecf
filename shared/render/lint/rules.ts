/**
 * The built-in policy rules, the checks the team's manifest CI did by hand. On by default with
 * severity error: resources on every container (init containers included: the scheduler counts
 * their requests too), a readinessProbe on every container of a Deployment, StatefulSet or DaemonSet,
 * pinned images. Off until configured: required env variables matching patterns.
 */
import { isRecord } from '../../model/object.ts';
import { containersOf, describeContainer, SERVING_KINDS } from './pod-templates.ts';
import type { LintRule, Violation } from './types.ts';

const containerResources: LintRule = {
  name: 'container-resources',
  description: 'every container of a Pod template has CPU and memory requests and a memory limit',
  defaultEnabled: true,
  defaultSeverity: 'error',
  defaults: { initContainers: true, cpuLimit: false },
  check(object, params) {
    return containersOf(object, { init: params.initContainers !== false }).flatMap((ref) => {
      const resources = isRecord(ref.container.resources) ? ref.container.resources : {};
      const requests = isRecord(resources.requests) ? resources.requests : {};
      const limits = isRecord(resources.limits) ? resources.limits : {};
      const missing = [
        requests.cpu === undefined ? 'requests.cpu' : '',
        requests.memory === undefined ? 'requests.memory' : '',
        limits.memory === undefined ? 'limits.memory' : '',
        params.cpuLimit === true && limits.cpu === undefined ? 'limits.cpu' : '',
      ].filter(Boolean);
      if (missing.length === 0) return [];
      return [{
        message: `${describeContainer(ref)} has no ${missing.map((m) => `resources.${m}`).join(', ')}`,
        fix: `set ${missing.map((m) => `${ref.field}.resources.${m}`).join(', ')}`,
      }];
    });
  },
};

const readinessProbe: LintRule = {
  name: 'readiness-probe',
  description: 'every container of a Deployment, StatefulSet or DaemonSet has a readinessProbe',
  defaultEnabled: true,
  defaultSeverity: 'error',
  defaults: {},
  check(object) {
    if (!SERVING_KINDS.has(object.kind)) return [];
    return containersOf(object, { init: false })
      .filter((ref) => !isRecord(ref.container.readinessProbe))
      .map((ref) => ({
        message: `${describeContainer(ref)} has no readinessProbe`,
        fix: `add ${ref.field}.readinessProbe (httpGet, tcpSocket, grpc or exec) so traffic waits until it is ready`,
      }));
  },
};

const imagePinned: LintRule = {
  name: 'image-pinned',
  description: 'every container image names a tag other than latest, or a digest',
  defaultEnabled: true,
  defaultSeverity: 'error',
  defaults: { forbiddenTags: ['latest'] },
  checkParameters: (params) => (stringList(params.forbiddenTags) ? undefined : 'forbiddenTags must be a list of strings'),
  check(object, params) {
    const forbidden = stringList(params.forbiddenTags) ?? ['latest'];
    return containersOf(object, { init: true }).flatMap((ref): Violation[] => {
      const image = typeof ref.container.image === 'string' ? ref.container.image : '';
      if (image === '' || image.includes('@')) return [];
      const tag = tagOf(image);
      if (tag !== undefined && !forbidden.includes(tag)) return [];
      return [{
        message: `${describeContainer(ref)} image ${image} is not pinned (${tag === undefined ? 'no tag means latest' : `tag ${tag}`})`,
        fix: `set ${ref.field}.image to a version tag or a digest (name:1.2.3 or name@sha256:…)`,
      }];
    });
  },
};

const requiredEnv: LintRule = {
  name: 'required-env',
  description: 'every container has env variables whose names match the configured patterns',
  defaultEnabled: false,
  defaultSeverity: 'error',
  defaults: { names: [], kinds: [] },
  checkParameters(params) {
    const names = stringList(params.names);
    if (!names || names.length === 0) return 'names must be a non-empty list of regular expressions';
    for (const name of names) {
      try {
        new RegExp(name);
      } catch {
        return `names: ${JSON.stringify(name)} is not a regular expression`;
      }
    }
    return stringList(params.kinds ?? []) ? undefined : 'kinds must be a list of kinds';
  },
  check(object, params) {
    const kinds = stringList(params.kinds) ?? [];
    if (kinds.length > 0 && !kinds.includes(object.kind)) return [];
    const patterns = (stringList(params.names) ?? []).map((p) => new RegExp(p));
    return containersOf(object, { init: false }).flatMap((ref) => {
      const env = Array.isArray(ref.container.env) ? ref.container.env.filter(isRecord) : [];
      const names = env.map((e) => String(e.name ?? ''));
      return patterns.filter((p) => !names.some((n) => p.test(n))).map((p) => ({
        message: `${describeContainer(ref)} has no env variable matching ${p.source}`,
        fix: `add an entry to ${ref.field}.env whose name matches ${p.source}`,
      }));
    });
  },
};

/** The built-in rules, by name. */
export const BUILTIN_RULES: ReadonlyMap<string, LintRule> = new Map(
  [containerResources, readinessProbe, imagePinned, requiredEnv].map((rule) => [rule.name, rule]),
);

/** The tag of an image reference (`registry:5000/app:1.2` → `1.2`), undefined when it has none. */
export function tagOf(image: string): string | undefined {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  return colon < 0 ? undefined : lastPart.slice(colon + 1);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}
