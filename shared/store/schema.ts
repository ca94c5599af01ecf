/**
 * The single DynamoDB table: its definition (so infra, the local runtime and the tests create the very
 * same table) and the item keys of everything shared/store keeps in it.
 *
 *   pk                    sk                    what
 *   REGISTRY              APP#<name>            Application (+ gsi1pk REPO#<normalised url>, gsi1sk REF#<ref>)
 *   REGISTRY              PROJECT#<name>        AppProject
 *   REGISTRY              CLUSTER#<name>        Cluster
 *   CLUSTER#<name>        LOCK                  cluster lock (SECURITY.md §4) and request sequence `seq`
 *   CLUSTER#<name>        CAPABILITIES          the cluster's version and group/versions, as the plan step last saw them (for helm)
 *   CLUSTER#<name>        PENDING#<app>         newest sync requested for the app, until its writer ran it (pending.ts)
 *   APP#<name>            STATUS                sync / health / operation state
 *   APP#<name>            HISTORY#<id, 10 digits>  history entry (successful, non-dry-run, non-selective syncs)
 *   APP#<name>            OPERATION#<syncId>    every sync attempt (ttl 90 days)
 *   DELIVERY#<id>         DELIVERY              webhook delivery (ttl 7 days)
 *
 * The registry shares one partition so listing is a Query, not a Scan; it is small and rarely written.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { KEY_PREFIXES, TABLE_SCHEMA } from '../config/resources.ts';

export { TABLE_SCHEMA };
export const BY_REPOSITORY = TABLE_SCHEMA.byRepository.indexName;

/**
 * CreateTable input for the table (on-demand; PITR and TTL are separate calls, see `TABLE_SCHEMA`).
 * @example await client.send(new CreateTableCommand(createTableInput('gitwave')))
 */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, byRepository } = TABLE_SCHEMA;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }, { AttributeName: sortKey, KeyType: 'RANGE' }],
    AttributeDefinitions: [partitionKey, sortKey, byRepository.partitionKey, byRepository.sortKey]
      .map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    GlobalSecondaryIndexes: [{
      IndexName: byRepository.indexName,
      KeySchema: [{ AttributeName: byRepository.partitionKey, KeyType: 'HASH' }, { AttributeName: byRepository.sortKey, KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  };
}

export interface ItemKey {
  pk: string;
  sk: string;
}

const REGISTRY = 'REGISTRY';

/** Item keys, one function per item kind. */
export const keys = {
  application: (name: string): ItemKey => ({ pk: REGISTRY, sk: `APP#${name}` }),
  project: (name: string): ItemKey => ({ pk: REGISTRY, sk: `PROJECT#${name}` }),
  cluster: (name: string): ItemKey => ({ pk: REGISTRY, sk: `CLUSTER#${name}` }),
  lock: (cluster: string): ItemKey => ({ pk: `${KEY_PREFIXES.cluster}${cluster}`, sk: 'LOCK' }),
  capabilities: (cluster: string): ItemKey => ({ pk: `${KEY_PREFIXES.cluster}${cluster}`, sk: 'CAPABILITIES' }),
  status: (app: string): ItemKey => ({ pk: `APP#${app}`, sk: 'STATUS' }),
  history: (app: string, id: number): ItemKey => ({ pk: `APP#${app}`, sk: `HISTORY#${String(id).padStart(10, '0')}` }),
  operation: (app: string, syncId: string): ItemKey => ({ pk: `APP#${app}`, sk: `OPERATION#${syncId}` }),
  delivery: (id: string): ItemKey => ({ pk: `${KEY_PREFIXES.delivery}${id}`, sk: 'DELIVERY' }),
} as const;

export const REGISTRY_PARTITION = REGISTRY;
export const SK_PREFIX = { application: 'APP#', project: 'PROJECT#', cluster: 'CLUSTER#', history: 'HISTORY#', operation: 'OPERATION#' } as const;

/** GSI keys of an Application: normalised repository URL, and the exact ref it follows. */
export function repositoryIndexKeys(normalisedRepo: string, ref: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: `REPO#${normalisedRepo}`, gsi1sk: `REF#${ref}` };
}
