/**
 * Parsing and validation of Argo CD `Application` documents (SPEC-sync §7.1). Everything gitwave
 * supports is parsed with Argo CD's defaults; a field it does not support yet (OCI charts, plugins,
 * multi-source, Jsonnet…) or does not know is a ModelError naming the field, never silently dropped.
 */
import { isRecord } from './object.ts';
import type { Application } from './application-types.ts';
import { applicationSchema } from './application-schema.ts';
import { ModelError } from './model-error.ts';
import { objectLabel, toModelIssues } from './schema-kit.ts';
import { hasPath, isEmptyBlock, issueAt, STATUS_FIELD, withoutUnsupported, type UnsupportedField } from './unsupported.ts';
import { parseSingleDocument, parseYamlDocuments, type SourceDocument } from './yaml-doc.ts';

export type * from './application-types.ts';
export { APP_SYNC_OPTIONS } from './application-schema.ts';
export { ModelError, type ModelIssue } from './model-error.ts';

/** Fields Argo CD has and gitwave refuses, with the message to show. */
const UNSUPPORTED: readonly UnsupportedField[] = [
  { path: ['spec', 'sources'], message: 'multi-source Applications are not supported yet; use spec.source' },
  { path: ['spec', 'sourceHydrator'], message: 'source hydration is not supported yet' },
  { path: ['spec', 'source', 'helm', 'passCredentials'], message: 'passing credentials to chart repositories is refused until repository credentials exist', when: (v) => v === true },
  { path: ['spec', 'source', 'plugin'], message: 'config management plugins are not supported yet' },
  { path: ['spec', 'source', 'ref'], message: 'source references belong to multi-source Applications, which are not supported yet' },
  // Argo CD writes `jsonnet: {}` into exported Applications; an empty block changes nothing.
  { path: ['spec', 'source', 'directory', 'jsonnet'], message: 'Jsonnet is not supported yet', when: (v) => !isEmptyBlock(v) },
  { path: ['operation'], message: 'operations are not read from manifests; start a sync with gitwave instead' },
  STATUS_FIELD,
];

/** The Argo CD namespace: Applications there (or in none) use their bare name as tracking instance. */
export const DEFAULT_CONTROL_PLANE_NAMESPACE = 'argocd';

/**
 * The one Application in a YAML file.
 * @throws ModelError naming file, `Application/<name>` and the field path.
 * @example parseApplication(readFileSync('apps/web.yaml', 'utf8'), 'apps/web.yaml').spec.source.targetRevision // 'HEAD'
 */
export function parseApplication(text: string, file: string): Application {
  return parseSingleDocument(text, file, 'Application', parseApplicationObject);
}

/** Every document of a multi-document YAML file, each an Application. */
export function parseApplications(text: string, file: string): Application[] {
  return parseYamlDocuments(text, file).map((doc) => parseApplicationObject(doc.value, file, doc));
}

/**
 * An Application from already-decoded data (JSON from the API, an item from the store).
 * `doc` adds line numbers to the messages when the data came from YAML.
 */
export function parseApplicationObject(value: unknown, file: string, doc?: SourceDocument): Application {
  const object = objectLabel(value, 'Application');
  if (!isRecord(value)) throw new ModelError(file, object, [{ field: '', message: 'expected a mapping' }]);
  const { rest, issues } = withoutUnsupported(value, UNSUPPORTED, doc);
  const result = applicationSchema.safeParse(rest, { reportInput: true });
  const otherSource = hasPath(value, ['spec', 'sources']) || hasPath(value, ['spec', 'sourceHydrator']);
  if (isRecord(value.spec) && !hasPath(value, ['spec', 'source']) && !otherSource) {
    issues.push(issueAt(['spec', 'source'], 'required', doc));
  }
  if (!result.success) issues.push(...toModelIssues(result.error.issues, doc));
  if (issues.length > 0 || !result.success) throw new ModelError(file, object, issues);
  const { project, source, ...spec } = result.data.spec;
  return { ...result.data, spec: { project, source: source!, ...spec } };
}

/**
 * How deleting the Application treats its resources (SPEC-sync §7.1 Finalizers).
 * @example cascadeOf(app) // 'foreground' with `resources-finalizer.argocd.argoproj.io`
 */
export function cascadeOf(app: Application): 'foreground' | 'background' | 'orphan' {
  const finalizers = app.metadata.finalizers;
  if (finalizers.includes('resources-finalizer.argocd.argoproj.io')) return 'foreground';
  if (finalizers.includes('resources-finalizer.argocd.argoproj.io/background')) return 'background';
  return 'orphan';
}

/**
 * The app instance written in tracking ids (SPEC-sync §5.5): the name, or `<namespace>_<name>` for an
 * Application outside the control plane namespace, so ids stay those Argo CD wrote before migration.
 * @example appInstanceOf(app) // 'guestbook'
 */
export function appInstanceOf(app: Application, controlPlaneNamespace = DEFAULT_CONTROL_PLANE_NAMESPACE): string {
  const ns = app.metadata.namespace;
  return ns === undefined || ns === controlPlaneNamespace ? app.metadata.name : `${ns}_${app.metadata.name}`;
}

/** Whether auto-sync is on (`syncPolicy.automated` present and not `enabled: false`). */
export function isAutomated(app: Application): boolean {
  return app.spec.syncPolicy.automated?.enabled === true;
}
