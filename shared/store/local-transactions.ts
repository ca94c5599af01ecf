/**
 * TransactWriteItems for dynalite (see local-dynamo.ts): each action is run as the matching
 * single-item call, after a consistent snapshot of every item involved; on the first failure every
 * item already touched is put back. ConditionChecks run as an UpdateItem with no update (which
 * may create a bare key item) and are always put back too. The caller serialises all requests, so no
 * other request sees the intermediate states.
 */

export interface Answer {
  status: number;
  body: unknown;
}

export interface Backend {
  raw(operation: string, body: string): Promise<Answer>;
  call(operation: string, payload: object): Promise<Answer>;
}

type Kind = 'ConditionCheck' | 'Put' | 'Update' | 'Delete';
interface Action {
  kind: Kind;
  params: Record<string, any>;
  key: Record<string, unknown>;
  snapshot?: Record<string, unknown>;
}

const OPERATION: Record<Kind, string> = { ConditionCheck: 'UpdateItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' };
const KINDS = Object.keys(OPERATION) as Kind[];

export async function applyTransaction(backend: Backend, request: { TransactItems?: Array<Record<string, any>> }): Promise<Answer> {
  const items = request.TransactItems ?? [];
  if (items.length < 1 || items.length > 100) return validation('TransactItems must have between 1 and 100 items');
  const actions: Action[] = [];
  for (const item of items) {
    const kind = KINDS.find((k) => item[k] !== undefined);
    if (!kind || Object.keys(item).length !== 1) return validation('each TransactItem must hold exactly one action');
    const params = item[kind];
    actions.push({ kind, params, key: params.Key ?? (await keyOfItem(backend, params.TableName, params.Item)) });
  }
  const ids = actions.map((a) => `${a.params.TableName}/${JSON.stringify(sortKeys(a.key))}`);
  if (new Set(ids).size !== ids.length) return validation('Transaction request cannot include multiple operations on one item');
  for (const action of actions) action.snapshot = await snapshotOf(backend, action);
  for (const [index, action] of actions.entries()) {
    const answer = await backend.call(OPERATION[action.kind], singleItemRequest(action));
    if (answer.status !== 200) {
      await restore(backend, actions.slice(0, index + 1).reverse());
      return isConditionFailure(answer) ? cancelled(actions, index) : answer;
    }
  }
  await restore(backend, actions.filter((a) => a.kind === 'ConditionCheck'));
  return { status: 200, body: {} };
}

function singleItemRequest(action: Action): Record<string, unknown> {
  const { TableName, Key, Item, UpdateExpression, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = action.params;
  return Object.fromEntries(Object.entries({
    TableName, Key, Item, UpdateExpression, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues,
  }).filter(([, value]) => value !== undefined));
}

async function snapshotOf(backend: Backend, action: Action): Promise<Record<string, unknown> | undefined> {
  const answer = await backend.call('GetItem', { TableName: action.params.TableName, Key: action.key, ConsistentRead: true });
  return (answer.body as { Item?: Record<string, unknown> }).Item;
}

async function restore(backend: Backend, actions: Action[]): Promise<void> {
  for (const action of actions) {
    const TableName = action.params.TableName;
    if (action.snapshot) await backend.call('PutItem', { TableName, Item: action.snapshot });
    else await backend.call('DeleteItem', { TableName, Key: action.key });
  }
}

const keyNames = new Map<string, string[]>();

async function keyOfItem(backend: Backend, table: string, item: Record<string, unknown>): Promise<Record<string, unknown>> {
  let names = keyNames.get(table);
  if (!names) {
    const answer = await backend.call('DescribeTable', { TableName: table });
    const schema = (answer.body as { Table?: { KeySchema?: Array<{ AttributeName: string }> } }).Table?.KeySchema ?? [];
    names = schema.map((k) => k.AttributeName);
    keyNames.set(table, names);
  }
  return Object.fromEntries(names.map((name) => [name, item?.[name]]));
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

function isConditionFailure(answer: Answer): boolean {
  return String((answer.body as { __type?: string }).__type ?? '').endsWith('#ConditionalCheckFailedException');
}

function cancelled(actions: Action[], failed: number): Answer {
  const reasons = actions.map((action, index) => {
    if (index !== failed) return { Code: 'None' };
    const wantsItem = action.params.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && action.snapshot;
    return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(wantsItem ? { Item: action.snapshot } : {}) };
  });
  return {
    status: 400,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      CancellationReasons: reasons,
    },
  };
}

function validation(message: string): Answer {
  return { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message } };
}
