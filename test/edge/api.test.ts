// The api λ as API Gateway invokes it, on DynamoDB Local, fauxqs and the simulator: registration with
// field-named errors and admin-only clusters and projects; the exact `gitwave app list/get -o json`
// shapes of issue 6; history with a deploy not from Git; manual sync (overrides only on env=dev),
// rollback (refused while auto-sync is on); the diff with Secret values masked; and a snapshot of
// every route's answer that must hold no secret.
import './helpers/quiet.ts';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENV } from '../../shared/config/env.ts';
import { dynamoRequestStore } from '../../shared/engine/requests.ts';
import type { OperationRecord } from '../../shared/store/ports.ts';
import { handler } from '../../functions/api.ts';
import { startEdgeAws, WEBHOOK_SECRET, type EdgeAws } from './helpers/aws.ts';
import { call, type EventInput } from './helpers/events.ts';
import { deployDesired, objectsOf, startEdgeSim, type EdgeSim } from './helpers/deploy.ts';
import { applicationYaml, clusterYaml, configMap } from './helpers/repo.ts';

const ADMIN = 'arn:aws:sts::111122223333:assumed-role/gitwave-admin/alice';
const DEVELOPER = 'arn:aws:sts::111122223333:assumed-role/developer/bob';
const SHA = '6ccfe74aa1b2c3d4e5f60718293a4b5c6d7e8f90';
const SECRET_VALUE = 'hunter2-do-not-show';
const SECRET_YAML = `apiVersion: v1
kind: Secret
metadata: { name: db }
type: Opaque
data:
  password: ${Buffer.from(SECRET_VALUE).toString('base64')}
`;

const answers: string[] = [];
async function api(input: EventInput) {
  const result = await call(handler as never, input);
  answers.push(result.text);
  return result;
}
const post = (path: string, body: unknown, iamUserArn?: string) =>
  api({ method: 'POST', path, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' }, ...(iamUserArn ? { iamUserArn } : {}) });

describe('api λ', () => {
  let aws: EdgeAws;
  let edge: EdgeSim;

  before(async () => {
    aws = await startEdgeAws();
    edge = await startEdgeSim();
    process.env[ENV.GIT_TOKEN_SECRET_ARN] = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:gitwave/git-tokens';
  });
  after(async () => {
    await edge?.stop();
    await aws?.stop();
  });

  it('registers clusters and projects for admins only (IAM role gitwave-admin*; the local runtime is its own admin)', async () => {
    const dev = clusterYaml('dev', { env: 'dev' }, { path: edge.kubeconfig, context: 'gitwave-sim' });
    assert.equal((await post('/api/clusters', dev, DEVELOPER)).status, 403);
    assert.equal(await aws.store.getCluster('dev'), undefined);
    const created = await post('/api/clusters', dev, ADMIN);
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, { name: 'dev', labels: { env: 'dev' }, connection: 'kubeconfig' });
    assert.equal((await post('/api/clusters', clusterYaml('prod', {}, { path: edge.kubeconfig, context: 'gitwave-sim' }))).status, 201);
    const project = 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: { name: team, namespace: argocd }\nspec:\n  sourceRepos: ["*"]\n  destinations: [{ name: dev, namespace: "*" }]\n';
    assert.equal((await post('/api/projects', project, DEVELOPER)).status, 403);
    assert.equal((await post('/api/projects', project, ADMIN)).status, 201);
  });

  it('refuses an invalid Application with the field named (400), and registers a valid one, queueing its first render', async () => {
    const bad = applicationYaml('web').replace('destination: {', 'destinaton: {');
    const refused = await post('/api/applications', bad, DEVELOPER);
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /Application\/web/);
    assert.match(refused.body.message, /destinaton|spec\.destination/);
    const forbidden = await post('/api/applications', applicationYaml('web', { cluster: 'prod' }).replace('project: default', 'project: team'), DEVELOPER);
    assert.equal(forbidden.status, 400);
    for (const [name, opts] of [['web', {}], ['auto', { automated: true }], ['prod-app', { cluster: 'prod' }]] as const) {
      const created = await post('/api/applications', applicationYaml(name, opts), DEVELOPER);
      assert.equal(created.status, 201, created.text);
    }
    const queued = await aws.drainQueue();
    assert.deepEqual(queued.map((q) => q.group).sort(), ['auto', 'prod-app', 'web']);
    assert.deepEqual(queued.map((q) => q.body.trigger), ['drift', 'drift', 'drift']);
  });

  it('refuses to move an Application to another cluster unless an admin does it', async () => {
    const moved = await post('/api/applications', applicationYaml('web', { cluster: 'prod' }), DEVELOPER);
    assert.equal(moved.status, 403);
    assert.match(moved.body.message, /admin-only/);
    assert.equal((await aws.store.getApplication('web'))!.app.spec.destination.name, 'dev');
  });

  it('lists Applications in exactly the issue 6 shape, before any sync', async () => {
    const list = await api({ path: '/api/applications' });
    assert.equal(list.status, 200);
    const web = list.body.find((a: { name: string }) => a.name === 'web');
    assert.deepEqual(web, {
      name: 'web', project: 'default', cluster: 'dev', namespace: 'web',
      sync: { status: 'Unknown', revision: null }, health: { status: 'Unknown' }, operation: null,
    });
  });

  it('gets one Application with its resources in exactly the issue 6 shape', async () => {
    const operation: OperationRecord = {
      syncId: 'web-6ccfe74-1', app: 'web', phase: 'Succeeded', message: 'successfully synced (all tasks run)', revision: SHA,
      source: (await aws.store.getApplication('web'))!.app.spec.source, dryRun: false, prune: false, selective: false, fromGit: false,
      initiatedBy: { username: 'alice' }, startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:01:00Z', result: { overrides: { kustomize: { images: ['web=ghcr.io/acme/web:dev-42'] } } },
    };
    const lock = await aws.store.acquire('dev', 'exec', { syncId: operation.syncId, leaseMs: 60_000 });
    assert.ok(lock.acquired);
    const guard = { cluster: 'dev', owner: 'exec', fence: lock.fence };
    await aws.store.finishOperation(operation, guard, { revisionHistoryLimit: 10, status: {
      sync: { status: 'Synced', revision: SHA }, health: { status: 'Healthy' }, operationState: operation,
      resources: [{ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', phase: 'Sync', wave: 1, hook: false, sync: { status: 'Synced' }, health: { status: 'Healthy' }, requiresPruning: false, message: 'internal' }],
    } });
    await aws.store.release(guard);
    const got = await api({ path: '/api/applications/web' });
    assert.deepEqual(got.body, {
      name: 'web', project: 'default', cluster: 'dev', namespace: 'web',
      sync: { status: 'Synced', revision: SHA }, health: { status: 'Healthy' },
      operation: { phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:01:00Z' },
      resources: [{ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', phase: 'Sync', wave: 1, hook: false, sync: { status: 'Synced' }, health: { status: 'Healthy', message: null } }],
    });
    assert.equal((await api({ path: '/api/applications/nope' })).status, 404);
  });

  it('pages the list from bulk reads with counts, and shows a registration through the API at once', async () => {
    const page = await api({ path: '/api/applications', query: { page: '1', pageSize: '2' } });
    assert.equal(page.status, 200, page.text);
    assert.deepEqual({ total: page.body.total, names: page.body.items.map((r: { name: string }) => r.name) }, { total: 3, names: ['auto', 'prod-app'] });
    assert.deepEqual(page.body.counts.sync, { Synced: 1, Unknown: 2 });
    const web = await api({ path: '/api/applications', query: { page: '1', sync: 'Synced' } });
    assert.deepEqual(web.body.items.map((r: { name: string; operation: { phase: string } | null }) => [r.name, r.operation?.phase]), [['web', 'Succeeded']]);
    assert.equal((await post('/api/applications', applicationYaml('zz-new'), DEVELOPER)).status, 201);
    const after = await api({ path: '/api/applications', query: { page: '2', pageSize: '2' } });
    assert.deepEqual(after.body.items.map((r: { name: string }) => r.name), ['web', 'zz-new']);
    assert.equal((await api({ method: 'DELETE', path: '/api/applications/zz-new' })).status, 200);
    await aws.drainQueue();
  });

  it('shows history newest first, a deploy with overrides marked as not from Git, and operations', async () => {
    const history = await api({ path: '/api/applications/web/history' });
    assert.equal(history.status, 200);
    assert.equal(history.body.length, 1);
    assert.equal(history.body[0].id, 0);
    assert.equal(history.body[0].fromGit, false);
    assert.deepEqual(history.body[0].overrides, { kustomize: { images: ['web=ghcr.io/acme/web:dev-42'] } });
    const operations = await api({ path: '/api/applications/web/operations' });
    assert.deepEqual(operations.body.map((o: { syncId: string; phase: string }) => [o.syncId, o.phase]), [['web-6ccfe74-1', 'Succeeded']]);
    assert.equal(operations.body[0].result, undefined);
  });

  it('queues a manual sync: the options stored under a request id, only the id queued', async () => {
    const queued = await post('/api/applications/web/sync', { revision: 'main', prune: true, dryRun: false }, DEVELOPER);
    assert.equal(queued.status, 202);
    const request = await dynamoRequestStore({ tableName: process.env[ENV.TABLE_NAME]!, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }).getRequest('web', queued.body.requestId);
    assert.equal(request?.revision, 'main');
    assert.equal(request?.prune, true);
    assert.equal(request?.initiatedBy.username, DEVELOPER);
    assert.deepEqual((await aws.drainQueue()).map((q) => q.body), [{ app: 'web', requestId: queued.body.requestId, trigger: 'manual' }]);
  });

  it('allows one-off image overrides on env=dev clusters only, and refuses malformed requests', async () => {
    const images = { overrides: { images: ['ghcr.io/acme/web=ghcr.io/acme/web:dev-42'] } };
    const onProd = await post('/api/applications/prod-app/sync', images);
    assert.equal(onProd.status, 403);
    assert.match(onProd.body.message, /env=dev/);
    const onDev = await post('/api/applications/web/sync', images);
    assert.equal(onDev.status, 202);
    const request = await dynamoRequestStore({ tableName: process.env[ENV.TABLE_NAME]!, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }).getRequest('web', onDev.body.requestId);
    assert.deepEqual(request?.overrides, { kustomize: { images: images.overrides.images } });
    for (const body of [{ revision: '--upload-pack=touch /tmp/x' }, { prune: 'yes' }, { force: true }, { overrides: { images: ['no-equals-sign'] } }]) {
      const refused = await post('/api/applications/web/sync', body);
      assert.equal(refused.status, 400, JSON.stringify(body));
    }
    assert.equal((await post('/api/applications/web/sync', '{not json')).status, 400);
    assert.equal((await aws.drainQueue()).length, 1);
  });

  it('syncs only chosen resources, each one the Application has, naming one it does not have', async () => {
    const chosen = { resources: [{ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web' }] };
    const queued = await post('/api/applications/web/sync', chosen);
    assert.equal(queued.status, 202, queued.text);
    const request = await dynamoRequestStore({ tableName: process.env[ENV.TABLE_NAME]!, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }).getRequest('web', queued.body.requestId);
    assert.deepEqual(request?.resources, chosen.resources);
    const unknown = await post('/api/applications/web/sync', { resources: [{ group: '', kind: 'ConfigMap', name: 'web', namespace: 'web' }] });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /field resources: ConfigMap\/web in namespace web is not a resource of web/);
    for (const resources of [[], [{ kind: 'Deployment', name: 'web' }], [{ group: 'apps', kind: 'Deployment', name: 'web', extra: 1 }]]) {
      assert.equal((await post('/api/applications/web/sync', { resources })).status, 400, JSON.stringify(resources));
    }
    assert.equal((await aws.drainQueue()).length, 1);
  });

  it('rolls back to a history entry with the apply strategy; refuses while auto-sync is on, or for an unknown entry', async () => {
    const auto = await post('/api/applications/auto/rollback', { id: 0 });
    assert.equal(auto.status, 409);
    assert.match(auto.body.message, /automated sync is on/);
    assert.equal((await post('/api/applications/web/rollback', { id: 7 })).status, 404);
    const rolled = await post('/api/applications/web/rollback', { id: 0, prune: false });
    assert.equal(rolled.status, 202);
    assert.equal(rolled.body.revision, SHA);
    const request = await dynamoRequestStore({ tableName: process.env[ENV.TABLE_NAME]!, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }).getRequest('web', rolled.body.requestId);
    assert.deepEqual({ revision: request?.revision, rollbackId: request?.rollbackId, strategy: request?.strategy }, { revision: SHA, rollbackId: 0, strategy: 'apply' });
    await aws.drainQueue();
  });

  it('diffs the last desired state against the cluster after a kubectl edit, with Secret values masked', async () => {
    const app = (await aws.store.getApplication('web'))!.app;
    await deployDesired(aws, edge.kube, app, objectsOf(configMap('web-config', { color: 'blue' }), SECRET_YAML), SHA);
    await edge.kubectl('-n', 'web', 'patch', 'configmap', 'web-config', '--type=merge', '-p', '{"data":{"color":"red"}}');
    await edge.kubectl('-n', 'web', 'patch', 'secret', 'db', '--type=merge', '-p', JSON.stringify({ data: { password: Buffer.from('changed-by-hand').toString('base64') } }));
    const diff = await api({ path: '/api/applications/web/diff' });
    assert.equal(diff.status, 200, diff.text);
    assert.equal(diff.body.revision, SHA);
    const byName = new Map(diff.body.resources.map((r: { name: string }) => [r.name, r]));
    assert.deepEqual((byName.get('web-config') as { changes: unknown[] }).changes, [{ path: '/data/color', op: 'replace', predicted: 'blue', live: 'red' }]);
    assert.ok(byName.has('db'));
    assert.match(diff.body.text, /~ \/data\/color: "red" → "blue"/);
    assert.doesNotMatch(diff.text, /changed-by-hand|Y2hhbmdlZC1ieS1oYW5k/);
  });

  it('lets signed-in dashboard users read through /ui/api, and write only with the deployer or admin group', async () => {
    const viewer = { sub: 'u-1', email: 'vera@acme.io' };
    const deployer = { sub: 'u-2', email: 'dan@acme.io', 'cognito:groups': '[deployer]' };
    const admin = { sub: 'u-3', 'cognito:username': 'ada', groups: '["admin"]' };
    const list = await api({ path: '/ui/api/applications', query: { page: '1' }, jwtClaims: viewer });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.items.some((r: { name: string }) => r.name === 'web'));
    const refused = await api({ method: 'POST', path: '/ui/api/applications/web/sync', body: '{}', jwtClaims: viewer });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /vera@acme\.io may only read: POST needs the deployer or admin group/);
    const queued = await api({ method: 'POST', path: '/ui/api/applications/web/sync', body: '{}', jwtClaims: deployer });
    assert.equal(queued.status, 202, queued.text);
    const request = await dynamoRequestStore({ tableName: process.env[ENV.TABLE_NAME]!, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }).getRequest('web', queued.body.requestId);
    assert.equal(request?.initiatedBy.username, 'dan@acme.io');
    const cluster = clusterYaml('qa', {}, { path: edge.kubeconfig, context: 'gitwave-sim' });
    assert.equal((await api({ method: 'POST', path: '/ui/api/clusters', body: cluster, jwtClaims: deployer })).status, 403, 'registering a cluster stays admin-only');
    assert.equal((await api({ method: 'POST', path: '/ui/api/clusters', body: cluster, jwtClaims: admin })).status, 201);
    const unsigned = await api({ path: '/ui/api/applications' });
    assert.equal(unsigned.status, 401, 'no claims on /ui/api: the JWT authoriser was bypassed');
    assert.equal((await aws.drainQueue()).length, 1);
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    assert.equal((await api({ path: '/api/nothing' })).status, 404);
    assert.equal((await api({ method: 'PUT', path: '/api/applications/web' })).status, 405);
    assert.equal((await api({ method: 'GET', path: '/api/applications/web/sync' })).status, 405);
  });

  it('holds no secret in any answer of any route (snapshot over every response above)', () => {
    assert.ok(answers.length > 25);
    const secrets = [WEBHOOK_SECRET, SECRET_VALUE, Buffer.from(SECRET_VALUE).toString('base64'), 'changed-by-hand', 'x-access-token', 'Authorization'];
    for (const text of answers) for (const secret of secrets) assert.ok(!text.includes(secret), `an answer holds ${secret}: ${text.slice(0, 200)}`);
  });
});
