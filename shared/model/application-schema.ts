/**
 * The zod schema of an Application as users write it. Strict objects everywhere: a field gitwave
 * does not know is an error, never dropped (fields known but not supported yet are refused earlier,
 * with a better message, by application.ts). Defaults are Argo CD's.
 */
import * as z from 'zod';
import { chartRepoProblem } from './chart-repo.ts';
import { durationSeconds } from './duration.ts';
import { addIssue, namespaceName, nonEmpty, stringList, stringMap, userMetadata } from './schema-kit.ts';

/** App-level sync options (SPEC-sync §3) and the values each accepts. */
export const APP_SYNC_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  Prune: ['true', 'false', 'confirm'],
  Delete: ['true', 'false', 'confirm'],
  Validate: ['true', 'false'],
  SkipDryRunOnMissingResource: ['true', 'false'],
  ApplyOutOfSyncOnly: ['true', 'false'],
  PrunePropagationPolicy: ['foreground', 'background', 'orphan'],
  PruneLast: ['true', 'false'],
  Replace: ['true', 'false'],
  Force: ['true', 'false'],
  ServerSideApply: ['true', 'false'],
  ClientSideApplyMigration: ['true', 'false'],
  CreateNamespace: ['true', 'false'],
  FailOnSharedResource: ['true', 'false'],
  RespectIgnoreDifferences: ['true', 'false'],
};

const syncOption = z.string().superRefine((text, ctx) => {
  const [key, value, extra] = text.split('=');
  const allowed = APP_SYNC_OPTIONS[key];
  if (value === undefined || extra !== undefined) addIssue(ctx, [], `sync option "${text}" must be written Key=Value`);
  else if (!allowed) addIssue(ctx, [], `unknown sync option "${key}"; known: ${Object.keys(APP_SYNC_OPTIONS).join(', ')}`);
  else if (!allowed.includes(value)) addIssue(ctx, [], `sync option ${key} must be one of ${allowed.join(', ')}`);
});

/** A relative path inside the repository: no absolute paths, no `..` leaving it. Normalised. */
const repoPath = z.string().transform((text, ctx) => {
  const parts: string[] = [];
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0) parts.pop();
    else if (part === '..') {
      addIssue(ctx, [], 'path must stay inside the repository');
      return z.NEVER;
    } else parts.push(part);
  }
  if (text.startsWith('/')) {
    addIssue(ctx, [], 'path must be relative to the repository root');
    return z.NEVER;
  }
  return parts.length === 0 ? '.' : parts.join('/');
});

const GIT_URL = /^(?:(?:https?|ssh|git):\/\/[^/\s]+\/?\S*|[^@/:\s]+@[^/:\s]+:\S+)$/i;

/** Why a Git repoURL is refused, or undefined. */
function gitRepoProblem(url: string): string | undefined {
  if (/^oci:\/\//i.test(url)) return 'OCI sources are not supported yet';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(url)) return 'credentials must not be written in repoURL; register a repository token instead';
  if (!GIT_URL.test(url)) return 'must be a Git URL (https://…, ssh://… or git@host:path)';
  return undefined;
}

const replicaCount = z.union([z.number().int().min(0), z.string().regex(/^\d+$/, 'must be a whole number')])
  .transform((count) => Number(count));

const kustomizePatch = z.strictObject({
  path: z.string().optional(),
  patch: z.string().optional(),
  target: z.strictObject({
    group: z.string().optional(), version: z.string().optional(), kind: z.string().optional(),
    name: z.string().optional(), namespace: z.string().optional(),
    labelSelector: z.string().optional(), annotationSelector: z.string().optional(),
  }).optional(),
  options: z.record(z.string(), z.boolean()).optional(),
}).refine((p) => (p.path === undefined) !== (p.patch === undefined), { message: 'a patch needs exactly one of path and patch' });

const kustomize = z.strictObject({
  namePrefix: z.string().optional(),
  nameSuffix: z.string().optional(),
  images: z.array(nonEmpty).default([]),
  replicas: z.array(z.strictObject({ name: nonEmpty, count: replicaCount })).default([]),
  commonLabels: stringMap.default({}),
  forceCommonLabels: z.boolean().default(false),
  labelWithoutSelector: z.boolean().default(false),
  labelIncludeTemplates: z.boolean().default(false),
  commonAnnotations: stringMap.default({}),
  forceCommonAnnotations: z.boolean().default(false),
  commonAnnotationsEnvsubst: z.boolean().default(false),
  namespace: namespaceName.optional(),
  components: z.array(nonEmpty).default([]),
  ignoreMissingComponents: z.boolean().default(false),
  patches: z.array(kustomizePatch).default([]),
  version: z.string().optional(),
  kubeVersion: z.string().optional(),
  apiVersions: stringList.default([]),
});

const directory = z.strictObject({
  recurse: z.boolean().default(false),
  include: z.string().optional(),
  exclude: z.string().optional(),
});

/** `spec.source.helm` (Argo CD's field names); `passCredentials` is refused in application.ts. */
const helm = z.strictObject({
  releaseName: z.string().max(53, 'must be at most 53 characters')
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS-1123 label (a Helm release name)').optional(),
  valueFiles: z.array(nonEmpty).default([]),
  ignoreMissingValueFiles: z.boolean().default(false),
  values: z.string().optional(),
  valuesObject: z.record(z.string(), z.unknown()).optional(),
  parameters: z.array(z.strictObject({
    name: nonEmpty, value: z.union([z.string(), z.number(), z.boolean()]).transform(String).default(''), forceString: z.boolean().default(false),
  })).default([]),
  fileParameters: z.array(z.strictObject({ name: nonEmpty, path: nonEmpty })).default([]),
  skipCrds: z.boolean().default(false),
  skipTests: z.boolean().default(false),
  skipSchemaValidation: z.boolean().default(false),
  namespace: namespaceName.optional(),
  kubeVersion: z.string().optional(),
  apiVersions: stringList.default([]),
  version: z.string().optional().refine((v) => v === undefined || v === '' || v === 'v3', { message: 'only Helm v3 is supported' }),
});

const source = z.strictObject({
  repoURL: nonEmpty,
  targetRevision: nonEmpty.default('HEAD'),
  path: repoPath.default('.'),
  chart: nonEmpty.regex(/^[A-Za-z0-9._-]+$/, 'must be a chart name (letters, digits, ".", "_", "-")').optional(),
  name: z.string().optional(),
  kustomize: kustomize.optional(),
  directory: directory.optional(),
  helm: helm.optional(),
}).superRefine((s, ctx) => {
  const kinds = [s.kustomize && 'kustomize', s.directory && 'directory', s.helm && 'helm'].filter(Boolean);
  if (kinds.length > 1) addIssue(ctx, [], `${kinds.join(' and ')} options cannot both be set`);
  if (s.chart !== undefined) {
    const problem = chartRepoProblem(s.repoURL);
    if (problem) addIssue(ctx, ['repoURL'], problem);
    if (s.kustomize || s.directory) addIssue(ctx, ['chart'], 'a chart source takes helm options, not kustomize or directory');
    if (s.targetRevision === 'HEAD') addIssue(ctx, ['targetRevision'], 'a chart source needs the exact chart version in targetRevision');
  } else {
    const problem = gitRepoProblem(s.repoURL);
    if (problem) addIssue(ctx, ['repoURL'], problem);
  }
});

const destination = z.strictObject({
  server: nonEmpty.optional(),
  name: nonEmpty.optional(),
  namespace: namespaceName.optional(),
}).superRefine((d, ctx) => {
  if (d.server !== undefined && d.name !== undefined) addIssue(ctx, [], 'set server or name, not both');
  if (d.server === undefined && d.name === undefined) addIssue(ctx, [], 'one of server and name is required');
});

const duration = (fallback: number) => z.union([z.number(), z.string()]).optional().transform((value, ctx) => {
  if (value === undefined) return fallback;
  const seconds = durationSeconds(value);
  if (seconds === undefined) {
    addIssue(ctx, [], `invalid duration "${value}" (a number of seconds, or like 5s, 3m, 1h30m)`);
    return z.NEVER;
  }
  return seconds;
});

const retry = z.strictObject({
  limit: z.number().int().default(0),
  backoff: z.strictObject({
    duration: duration(5),
    factor: z.number().int().min(1).default(2),
    maxDuration: duration(180),
  }).prefault({})
    .transform((b) => ({ durationSeconds: b.duration, factor: b.factor, maxDurationSeconds: b.maxDuration })),
  refresh: z.boolean().default(false),
});

const syncPolicy = z.strictObject({
  automated: z.strictObject({
    enabled: z.boolean().nullable().default(null).transform((on) => on !== false),
    prune: z.boolean().default(false),
    selfHeal: z.boolean().default(false),
    allowEmpty: z.boolean().default(false),
  }).optional(),
  syncOptions: z.array(syncOption).default([]),
  retry: retry.optional(),
  managedNamespaceMetadata: z.strictObject({ labels: stringMap.default({}), annotations: stringMap.default({}) }).optional(),
});

const ignoreDifference = z.strictObject({
  group: z.string().default(''),
  kind: nonEmpty,
  name: z.string().optional(),
  namespace: z.string().optional(),
  jsonPointers: z.array(z.string().regex(/^(\/.*)?$/, 'a JSON pointer starts with "/"')).default([]),
  jqPathExpressions: z.array(nonEmpty).default([]),
  managedFieldsManagers: z.array(nonEmpty).default([]),
});

/** `source` is optional here only so that a `sources` list is reported alone (application.ts). */
export const applicationSchema = z.strictObject({
  apiVersion: z.literal('argoproj.io/v1alpha1'),
  kind: z.literal('Application'),
  metadata: userMetadata,
  spec: z.strictObject({
    project: nonEmpty.default('default'),
    source: source.optional(),
    destination,
    syncPolicy: syncPolicy.default({ syncOptions: [] }),
    ignoreDifferences: z.array(ignoreDifference).default([]),
    revisionHistoryLimit: z.number().int().min(0).default(10),
    info: z.array(z.strictObject({ name: nonEmpty, value: z.string() })).default([]),
  }),
});
