// The render λ as the SQS event source invokes it: a real Git repository behind the GitHub
// stand-in, real kustomize, DynamoDB Local, fauxqs S3, and the plan λ reached through the Lambda Invoke
// stand-in (a recording function here). Cache hit, coalescing on the head, source unavailable,
// malformed YAML with file and line, failed policy checks, FIFO stop at the first transient failure.
import './helpers/quiet.ts';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSEvent } from 'aws-lambda';
import { startGitHubStub, type RunningGitHubStub } from '../../local/github-stub/index.ts';
import { startLambdaInvoke } from '../../local/stubs/lambda.ts';
import type { StubServer } from '../../local/stubs/http-json.ts';
import { ENV } from '../../shared/config/env.ts';
import { parseApplication } from '../../shared/model/application.ts';
import { parseCluster } from '../../shared/model/cluster.ts';
import { dynamoRequestStore } from '../../shared/engine/requests.ts';
import { readRenderDocument } from '../../shared/engine/render-store.ts';
import type { PlanRequest, SyncRequestMessage } from '../../shared/engine/contracts.ts';
import { startEdgeAws, type EdgeAws } from './helpers/aws.ts';
import { CONTEXT } from './helpers/events.ts';
import { applicationYaml, clusterYaml, configMap, createRepo, deployment, KUSTOMIZATION, type TestRepo } from './helpers/repo.ts';

const planned: PlanRequest[] = [];
let handler: (event: SQSEvent, context: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

function sqsEvent(...messages: SyncRequestMessage[]): SQSEvent {
  return { Records: messages.map((m, i) => ({ messageId: `m-${i}`, body: JSON.stringify(m), attributes: { MessageGroupId: m.app } })) } as unknown as SQSEvent;
}

async function render(...messages: SyncRequestMessage[]) {
  return (await handler(sqsEvent(...messages), CONTEXT)).batchItemFailures.map((f) => f.itemIdentifier);
}

describe('render λ', () => {
  let aws: EdgeAws;
  let repo: TestRepo;
  let github: RunningGitHubStub;
  let lambda: StubServer;
  let first: string;

  before(async () => {
    aws = await startEdgeAws();
    repo = createRepo();
    first = repo.commit({ 'app/kustomization.yaml': KUSTOMIZATION, 'app/deployment.yaml': deployment('web'), 'app/config.yaml': configMap('web-config', { color: 'blue' }) });
    github = await startGitHubStub({ repos: { 'acme/manifests': repo.dir } });
    lambda = await startLambdaInvoke({
      'gitwave-plan': async (event) => {
        const request = event as PlanRequest;
        if (request.app === 'flaky') throw new Error('plan λ is down');
        planned.push(request);
        return { app: request.app, outcome: 'planned' };
      },
    });
    Object.assign(process.env, { [ENV.GITHUB_API_URL]: github.apiUrl, [ENV.PLAN_FUNCTION_NAME]: 'gitwave-plan', AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint });
    await aws.store.putCluster(parseCluster(clusterYaml('dev'), 'cluster.yaml'));
    for (const [name, rev] of [['web', 'main'], ['flaky', 'main'], ['gone', 'no-such-branch'], ['broken', 'broken'], ['unpinned', 'unpinned']]) {
      await aws.store.putApplication(parseApplication(applicationYaml(name, { targetRevision: rev }), 'app.yaml'));
    }
    ({ handler } = await import('../../functions/render.ts') as never);
  });
  after(async () => {
    await lambda?.stop();
    await github?.stop();
    await aws?.stop();
    repo?.remove();
  });

  it('renders the pushed commit with kustomize, writes rendered/<hash>.json and invokes the plan λ', async () => {
    planned.length = 0;
    assert.deepEqual(await render({ app: 'web', sha: first, ref: 'refs/heads/main', deliveryId: 'd1', trigger: 'webhook' }), []);
    assert.equal(planned.length, 1);
    const [request] = planned;
    assert.deepEqual({ ...request, renderKey: undefined }, { app: 'web', revision: first, renderKey: undefined, trigger: 'webhook' });
    assert.match(request.renderKey, /^rendered\/[0-9a-f]{64}\.json$/);
    const doc = await readRenderDocument(aws.blobs, request.renderKey);
    assert.equal(doc.revision, first);
    assert.equal(doc.type, 'kustomize');
    assert.deepEqual(doc.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).sort(), ['ConfigMap/web-config', 'Deployment/web']);
  });

  it('reads a second render of the same input back from S3: no second download, same key', async () => {
    planned.length = 0;
    const downloads = () => github.requests.filter((r) => r.path.includes('/tarball/') || r.server === 'codeload').length;
    const before = downloads();
    assert.deepEqual(await render({ app: 'web', sha: first, trigger: 'drift' }), []);
    assert.equal(downloads(), before);
    assert.equal(planned.length, 1);
    assert.equal(planned[0].trigger, 'drift');
  });

  it('renders the head when the pushed commit is older (coalescing: the latest commit wins)', async () => {
    planned.length = 0;
    const second = repo.commit({ 'app/config.yaml': configMap('web-config', { color: 'green' }) });
    assert.deepEqual(await render({ app: 'web', sha: first, ref: 'refs/heads/main', deliveryId: 'd-old', trigger: 'webhook' }), []);
    assert.equal(planned[0].revision, second);
    const doc = await readRenderDocument(aws.blobs, planned[0].renderKey);
    assert.equal((doc.objects.find((o) => o.object.kind === 'ConfigMap')!.object.data as Record<string, string>).color, 'green');
  });

  it('row 14: an unknown ref is "source unavailable", recorded as status, nothing planned, message done', async () => {
    planned.length = 0;
    assert.deepEqual(await render({ app: 'gone', trigger: 'drift' }), []);
    assert.equal(planned.length, 0);
    const status = await aws.store.getStatus('gone');
    assert.equal(status?.sync?.status, 'Unknown');
    assert.equal(status?.conditions?.[0].type, 'ComparisonError');
    assert.match(status!.conditions![0].message, /source unavailable/);
  });

  it('row 15: malformed YAML is refused with file and line, nothing planned', async () => {
    planned.length = 0;
    repo.commit({ 'app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n' }, 'broken');
    assert.deepEqual(await render({ app: 'broken', trigger: 'drift' }), []);
    assert.equal(planned.length, 0);
    const condition = (await aws.store.getStatus('broken'))!.conditions![0];
    assert.equal(condition.type, 'ComparisonError');
    assert.match(condition.message, /app\/config\.yaml:\d+/);
  });

  it('refuses a render that fails the policy rules, naming the file and the rule', async () => {
    planned.length = 0;
    repo.commit({ 'app/deployment.yaml': deployment('web', 'ghcr.io/acme/web:latest') }, 'unpinned');
    assert.deepEqual(await render({ app: 'unpinned', trigger: 'drift' }), []);
    assert.equal(planned.length, 0);
    const condition = (await aws.store.getStatus('unpinned'))!.conditions![0];
    assert.match(condition.message, /app\/deployment\.yaml:1: Deployment\/web: .*\(image-pinned\)/);
  });

  it('applies a manual sync\'s one-off image override to the render', async () => {
    planned.length = 0;
    const requests = dynamoRequestStore({ tableName: process.env[ENV.TABLE_NAME]!, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
    await requests.putRequest({ requestId: 'r-1', app: 'web', overrides: { kustomize: { images: ['ghcr.io/acme/web=ghcr.io/acme/web:dev-42'] } }, initiatedBy: { username: 'alice' }, createdAt: new Date().toISOString() });
    assert.deepEqual(await render({ app: 'web', requestId: 'r-1', trigger: 'manual' }), []);
    assert.equal(planned[0].requestId, 'r-1');
    const doc = await readRenderDocument(aws.blobs, planned[0].renderKey);
    const container = (doc.objects.find((o) => o.object.kind === 'Deployment')!.object.spec as any).template.spec.containers[0];
    assert.equal(container.image, 'ghcr.io/acme/web:dev-42');
  });

  it('on a transient failure reports that message and every later one, so the FIFO group keeps its order', async () => {
    planned.length = 0;
    const failed = await render({ app: 'web', trigger: 'drift' }, { app: 'flaky', trigger: 'drift' }, { app: 'web', trigger: 'drift' });
    assert.deepEqual(failed, ['m-1', 'm-2']);
    assert.equal(planned.length, 1);
  });

  it('drops a message for an Application that is no longer registered', async () => {
    planned.length = 0;
    assert.deepEqual(await render({ app: 'deleted-app', trigger: 'drift' }, { app: '' } as SyncRequestMessage), []);
    assert.equal(planned.length, 0);
  });
});
