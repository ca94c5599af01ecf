/**
 * Argo CD `AppProject` documents (SPEC-sync §7.2): which repositories, destinations and kinds the
 * Applications of a project may use, and DEFAULT_PROJECT, the built-in `default` project. The rules
 * themselves are applied by project-policy.ts. Sync windows are refused for now: accepting them
 * without enforcing them would let a deploy freeze be silently ignored.
 */
import * as z from 'zod';
import { isRecord } from './object.ts';
import type { ApplicationMetadata } from './application-types.ts';
import { ModelError } from './model-error.ts';
import { nonEmpty, objectLabel, toModelIssues, userMetadata } from './schema-kit.ts';
import { isEmptyBlock, STATUS_FIELD, withoutUnsupported, type UnsupportedField } from './unsupported.ts';
import { parseSingleDocument, parseYamlDocuments, type SourceDocument } from './yaml-doc.ts';

export interface AppProject {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'AppProject';
  metadata: ApplicationMetadata;
  spec: AppProjectSpec;
}

export interface AppProjectSpec {
  description?: string;
  /** Repository URL globs; `!glob` denies, and a deny wins. */
  sourceRepos: string[];
  destinations: ProjectDestination[];
  /** Cluster-scoped kinds allowed; empty = none. */
  clusterResourceWhitelist: ResourceRule[];
  clusterResourceBlacklist: ResourceRule[];
  /** Namespaced kinds allowed; absent = all, `[]` = none. */
  namespaceResourceWhitelist?: ResourceRule[];
  namespaceResourceBlacklist: ResourceRule[];
}

/** Globs; `!glob` in any field makes the entry a deny. At least one of server and name. */
export interface ProjectDestination {
  server?: string;
  name?: string;
  /** Absent matches only the empty namespace (cluster-scoped destinations). */
  namespace?: string;
}

/** Group and kind globs (`""` = core group); `name` (cluster lists only) narrows to object names. */
export interface ResourceRule {
  group: string;
  kind: string;
  name?: string;
}

/** The built-in `default` project: any repository, any destination, every kind (SPEC-sync §7.1). */
export const DEFAULT_PROJECT: AppProject = Object.freeze({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'default', namespace: 'argocd', labels: {}, annotations: {}, finalizers: [] },
  spec: {
    sourceRepos: ['*'],
    destinations: [{ server: '*', name: '*', namespace: '*' }],
    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    clusterResourceBlacklist: [],
    namespaceResourceBlacklist: [],
  },
}) as AppProject;

const UNSUPPORTED: readonly UnsupportedField[] = [
  { path: ['spec', 'syncWindows'], when: (v) => !isEmptyBlock(v),
    message: 'sync windows are not enforced yet; remove them (gitwave would deploy during a freeze)' },
  { path: ['spec', 'roles'], when: (v) => !isEmptyBlock(v), message: 'project roles are not supported; access is granted through IAM' },
  { path: ['spec', 'signatureKeys'], when: (v) => !isEmptyBlock(v), message: 'commit signature verification is not supported yet' },
  { path: ['spec', 'orphanedResources'], message: 'orphaned resource monitoring is not supported yet' },
  { path: ['spec', 'sourceNamespaces'], when: (v) => !isEmptyBlock(v), message: 'Applications in any namespace are not supported yet' },
  { path: ['spec', 'destinationServiceAccounts'], when: (v) => !isEmptyBlock(v), message: 'service account impersonation is not supported yet' },
  { path: ['spec', 'permitOnlyProjectScopedClusters'], when: (v) => v === true, message: 'project-scoped clusters are not supported yet' },
  STATUS_FIELD,
];

const resourceRule = z.strictObject({ group: z.string().default(''), kind: nonEmpty, name: z.string().optional() });
const namespacedRule = z.strictObject({ group: z.string().default(''), kind: nonEmpty });

const projectDestination = z.strictObject({
  server: nonEmpty.optional(),
  name: nonEmpty.optional(),
  namespace: z.string().optional(),
}).refine((d) => d.server !== undefined || d.name !== undefined, { message: 'one of server and name is required' });

const appProjectSchema = z.strictObject({
  apiVersion: z.literal('argoproj.io/v1alpha1'),
  kind: z.literal('AppProject'),
  metadata: userMetadata,
  spec: z.strictObject({
    description: z.string().optional(),
    sourceRepos: z.array(nonEmpty).default([]),
    destinations: z.array(projectDestination).default([]),
    clusterResourceWhitelist: z.array(resourceRule).default([]),
    clusterResourceBlacklist: z.array(resourceRule).default([]),
    namespaceResourceWhitelist: z.array(namespacedRule).optional(),
    namespaceResourceBlacklist: z.array(namespacedRule).default([]),
  }).prefault({}),
});

/**
 * The one AppProject in a YAML file.
 * @throws ModelError naming file, `AppProject/<name>` and the field path.
 * @example parseAppProject(text, 'projects/team-a.yaml').spec.sourceRepos // ['https://github.com/org/*']
 */
export function parseAppProject(text: string, file: string): AppProject {
  return parseSingleDocument(text, file, 'AppProject', parseAppProjectObject);
}

/** Every document of a multi-document YAML file, each an AppProject. */
export function parseAppProjects(text: string, file: string): AppProject[] {
  return parseYamlDocuments(text, file).map((doc) => parseAppProjectObject(doc.value, file, doc));
}

/** An AppProject from already-decoded data; `doc` adds line numbers to the messages. */
export function parseAppProjectObject(value: unknown, file: string, doc?: SourceDocument): AppProject {
  const object = objectLabel(value, 'AppProject');
  if (!isRecord(value)) throw new ModelError(file, object, [{ field: '', message: 'expected a mapping' }]);
  const { rest, issues } = withoutUnsupported(value, UNSUPPORTED, doc);
  const result = appProjectSchema.safeParse(rest, { reportInput: true });
  if (!result.success) issues.push(...toModelIssues(result.error.issues, doc));
  if (issues.length > 0 || !result.success) throw new ModelError(file, object, issues);
  return result.data;
}
