/**
 * What is registered: Applications (parsed spec + the YAML as written), AppProjects and clusters, all
 * in the REGISTRY partition. Applications are also indexed by normalised repository URL + the exact
 * ref they follow (GSI byRepository), which is how a webhook push finds them: `refs/heads/x` and
 * `refs/tags/x` are different keys, so a branch and a tag of one name are never confused.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Application } from '../model/application.ts';
import { DEFAULT_PROJECT, type AppProject } from '../model/appproject.ts';
import type { Cluster } from '../model/cluster.ts';
import { normalizeRepoURL } from '../model/repo-url.ts';
import { queryAll, withoutKeys, type StoreContext } from './context.ts';
import { ItemTooLargeError } from './errors.ts';
import type { RegistryStore, StoredApplication, StoredCapabilities } from './ports.ts';
import { BY_REPOSITORY, keys, REGISTRY_PARTITION, repositoryIndexKeys, SK_PREFIX } from './schema.ts';

/** Far below DynamoDB's 400 KB item cap, leaving room for the parsed spec. */
export const MAX_SOURCE_YAML_BYTES = 128 * 1024;

/**
 * The ref a webhook push must name to concern an Application: `refs/…` as written, `HEAD` as is, none
 * for a full SHA (nothing to follow), and a bare name as a branch. A tag written bare (`v1.2`) should
 * be registered with its resolved ref (`trackedRef: 'refs/tags/v1.2'`).
 * @example trackedRefOf('main') // 'refs/heads/main'
 */
export function trackedRefOf(targetRevision: string): string | undefined {
  if (targetRevision.startsWith('refs/') || targetRevision === 'HEAD') return targetRevision;
  if (/^[0-9a-f]{40}$/i.test(targetRevision)) return undefined;
  return `refs/heads/${targetRevision}`;
}

/** An Application item without `sourceYaml` (none of these names is a DynamoDB reserved word). */
const SPEC_ONLY = 'app, trackedRef, updatedAt';

export function dynamoRegistryStore(ctx: StoreContext): RegistryStore {
  const get = async (key: { pk: string; sk: string }) =>
    (await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: key, ConsistentRead: true }))).Item;
  const put = (item: Record<string, unknown>) => ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item }));
  const list = (prefix: string, projection?: string) => queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': REGISTRY_PARTITION, ':prefix': prefix },
    ConsistentRead: true,
    ...(projection ? { ProjectionExpression: projection } : {}),
  });
  return {
    putApplication: async (app, options = {}) => { await put(applicationItem(ctx, app, options)); },
    getApplication: async (name) => {
      const item = await get(keys.application(name));
      return item ? withoutKeys<StoredApplication>(item) : undefined;
    },
    listApplications: async (options = {}) => (await list(SK_PREFIX.application, options.withoutSourceYaml ? SPEC_ONLY : undefined))
      .map((item) => withoutKeys<StoredApplication>(item)),
    deleteApplication: async (name) => { await ctx.doc.send(new DeleteCommand({ TableName: ctx.table, Key: keys.application(name) })); },
    findApplications: (repositoryKeys, ref) => findApplications(ctx, repositoryKeys, ref),
    putProject: async (project) => { await put({ ...keys.project(project.metadata.name), project }); },
    getProject: async (name) => {
      const item = await get(keys.project(name));
      return (item?.project as AppProject | undefined) ?? (name === DEFAULT_PROJECT.metadata.name ? DEFAULT_PROJECT : undefined);
    },
    listProjects: async () => {
      const projects = (await list(SK_PREFIX.project)).map((item) => item.project as AppProject);
      const hasDefault = projects.some((p) => p.metadata.name === DEFAULT_PROJECT.metadata.name);
      return hasDefault ? projects : [DEFAULT_PROJECT, ...projects];
    },
    putCluster: async (cluster) => { await put({ ...keys.cluster(cluster.name), cluster }); },
    getCluster: async (name) => (await get(keys.cluster(name)))?.cluster as Cluster | undefined,
    listClusters: async () => (await list(SK_PREFIX.cluster)).map((item) => item.cluster as Cluster),
    putClusterCapabilities: async (cluster, capabilities) => { await put({ ...keys.capabilities(cluster), capabilities }); },
    getClusterCapabilities: async (cluster) => (await get(keys.capabilities(cluster)))?.capabilities as StoredCapabilities | undefined,
  };
}

function applicationItem(ctx: StoreContext, app: Application, options: { sourceYaml?: string; trackedRef?: string; parent?: string }) {
  if (options.sourceYaml !== undefined && Buffer.byteLength(options.sourceYaml) > MAX_SOURCE_YAML_BYTES) {
    throw new ItemTooLargeError(`application ${app.metadata.name}: source YAML is larger than ${MAX_SOURCE_YAML_BYTES} bytes`);
  }
  const trackedRef = options.trackedRef ?? trackedRefOf(app.spec.source.targetRevision);
  const stored: StoredApplication = {
    app,
    ...(options.sourceYaml === undefined ? {} : { sourceYaml: options.sourceYaml }),
    ...(trackedRef === undefined ? {} : { trackedRef }),
    ...(options.parent === undefined ? {} : { parent: options.parent }),
    updatedAt: new Date(ctx.now()).toISOString(),
  };
  const index = trackedRef === undefined ? {} : repositoryIndexKeys(normalizeRepoURL(app.spec.source.repoURL), trackedRef);
  return { ...keys.application(app.metadata.name), ...index, ...stored };
}

/** Applications following exactly `ref` in any of the repositories (GSI reads are eventually consistent). */
async function findApplications(ctx: StoreContext, repositoryKeys: string[], ref: string): Promise<Array<{ name: string }>> {
  const names = new Set<string>();
  for (const repository of new Set(repositoryKeys.map(normalizeRepoURL))) {
    const { gsi1pk, gsi1sk } = repositoryIndexKeys(repository, ref);
    let start: Record<string, any> | undefined;
    do {
      const page = await ctx.doc.send(new QueryCommand({
        TableName: ctx.table,
        IndexName: BY_REPOSITORY,
        KeyConditionExpression: 'gsi1pk = :repo AND gsi1sk = :ref',
        ExpressionAttributeValues: { ':repo': gsi1pk, ':ref': gsi1sk },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      for (const item of page.Items ?? []) names.add((item.app as Application).metadata.name);
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return [...names].sort().map((name) => ({ name }));
}
