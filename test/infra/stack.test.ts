import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTION_ENV, FUNCTION_KEYS, FUNCTION_SETTINGS } from '../../shared/lambda/functions.ts';
import { REQUEST_QUEUE, TABLE_SCHEMA } from '../../shared/config/resources.ts';
import { actionsOf, functionLogicalId, statementsOf, synthesize, type Synthesized } from './synth.ts';

// One synthesis under cdk-nag: it throws if any finding is not acknowledged. Stub code instead of the
// bundles (the same construct bundles with esbuild in test/infra/bundles.test.ts, which loads each one).
let s: Synthesized;
before(() => { s = synthesize({ codeMode: 'inline' }, { nag: true }); });
after(() => s?.cleanup());

/** The logical ids of the two state machines (the writer's construct id names it). */
const machineIds = () => {
  const ids = resourcesOf('AWS::StepFunctions::StateMachine').map(([id]) => id);
  return { syncId: ids.find((id) => !id.includes('Writer'))!, writerId: ids.find((id) => id.includes('Writer'))! };
};
/** The IAM statements of a state machine's role. */
const machineStatements = (smId: string): Array<Record<string, any>> => {
  const roleId = s.json.Resources[smId].Properties.RoleArn['Fn::GetAtt'][0];
  return resourcesOf('AWS::IAM::Policy').filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
};
const resourcesOf = (type: string) => Object.entries(s.json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);

describe('GitwaveStack: functions', () => {
  it('deploys one Node 22 function per handler (arm64; render x86_64 for its kubectl layer), traced, each with a role of its own', () => {
    const all = resourcesOf('AWS::Lambda::Function');
    const functions = all.filter(([, r]) => r.Metadata?.['gitwave:function']);
    assert.deepEqual(functions.map(([, r]) => r.Metadata['gitwave:function']).sort(), [...FUNCTION_KEYS].sort());
    // The one other function is CDK's, copying the dashboard into its bucket at deploy time.
    assert.deepEqual(all.filter(([, r]) => !r.Metadata?.['gitwave:function']).map(([id]) => id.startsWith('CustomCDKBucketDeployment')), [true]);
    for (const [, fn] of functions) {
      assert.equal(fn.Properties.Runtime, 'nodejs22.x');
      assert.deepEqual(fn.Properties.Architectures, [fn.Metadata['gitwave:function'] === 'render' ? 'x86_64' : 'arm64']);
      assert.equal(fn.Properties.TracingConfig.Mode, 'Active');
      assert.equal(fn.Properties.Timeout, FUNCTION_SETTINGS[fn.Metadata['gitwave:function'] as 'api'].timeoutSeconds);
    }
    const roles = new Set(functions.map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]));
    assert.equal(roles.size, FUNCTION_KEYS.length);
  });

  it('gives each function exactly the variables shared/lambda/functions.ts lists, plus Powertools settings', () => {
    for (const key of FUNCTION_KEYS) {
      const env = s.json.Resources[functionLogicalId(s.json, key)].Properties.Environment.Variables;
      const own = Object.keys(env).filter((name) => !name.startsWith('POWERTOOLS_') && name !== 'NODE_OPTIONS');
      assert.deepEqual(own.sort(), [...FUNCTION_ENV[key]].sort(), key);
      assert.equal(env.POWERTOOLS_SERVICE_NAME, `gitwave-${key}`);
    }
  });
});

describe('GitwaveStack: cdk-nag AwsSolutions', () => {
  // The synthesis above ran the checks and would have thrown on any finding not acknowledged.
  it('acknowledges findings one by one, each with a reason', () => {
    const acknowledgments = s.stack.node.findAll().flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    assert.ok(acknowledgments.length > 0);
    for (const [id, reason] of acknowledgments) {
      assert.match(id, /AwsSolutions-[A-Z0-9]+/);
      assert.ok(reason.length >= 40, `${id}: "${reason}" is too short to be a justification`);
    }
    assert.ok(!acknowledgments.some(([id]) => /AwsSolutions-IAM5$/.test(id)), 'IAM5 is never acknowledged for a whole role');
  });
});

describe('GitwaveStack: deploy-time options', () => {
  it('gives the render function AWS\'s kubectl v1.32 layer (kubectl and helm), and kubectl kustomize, with no override', () => {
    const render = s.json.Resources[functionLogicalId(s.json, 'render')].Properties;
    assert.equal(render.Layers.length, 1);
    const layer = s.json.Resources[render.Layers[0].Ref];
    assert.equal(layer.Type, 'AWS::Lambda::LayerVersion');
    assert.match(layer.Properties.Description, /kubectl/i);
    assert.equal(render.Environment.Variables.KUSTOMIZE_PATH, '/opt/kubectl/kubectl');
    const warnings = s.stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning');
    assert.ok(!warnings.some((w) => /kustomizeLayerPath/.test(String(w.data))), 'no kustomize layer is needed any more');
  });

  it('warns that strict schema validation is off without a schemas layer, and leaves GITWAVE_SCHEMAS empty', () => {
    const warnings = s.stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning');
    assert.ok(warnings.some((w) => /schemasLayerPath/.test(String(w.data))));
    assert.equal(s.json.Resources[functionLogicalId(s.json, 'render')].Properties.Environment.Variables.GITWAVE_SCHEMAS, '');
  });
});

describe('GitwaveStack: storage and messaging', () => {
  it('has the one table of the contracts: on demand, PITR, TTL and the byRepository index', () => {
    s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({
        IndexName: 'byRepository',
        KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }],
      })],
    });
    assert.equal(TABLE_SCHEMA.byRepository.indexName, 'byRepository');
  });

  it('queues requests in a FIFO queue with a FIFO DLQ after 5 receives, visibility ≥ 6× the render timeout', () => {
    const [[dlqId, dlq]] = resourcesOf('AWS::SQS::Queue').filter(([, q]) => q.Properties.QueueName === 'gitwave-requests-dlq.fifo');
    const [[, queue]] = resourcesOf('AWS::SQS::Queue').filter(([, q]) => q.Properties.QueueName === 'gitwave-requests.fifo');
    assert.equal(dlq.Properties.FifoQueue, true);
    assert.equal(queue.Properties.FifoQueue, true);
    assert.equal(queue.Properties.ContentBasedDeduplication, false);
    assert.deepEqual(queue.Properties.RedrivePolicy, { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 });
    const renderTimeout = s.json.Resources[functionLogicalId(s.json, 'render')].Properties.Timeout;
    assert.ok(queue.Properties.VisibilityTimeout >= 6 * renderTimeout);
    assert.ok(dlq.Properties.MessageRetentionPeriod > queue.Properties.MessageRetentionPeriod);
    assert.equal(REQUEST_QUEUE.maxReceiveCount, 5);
  });

  it('feeds the render function from the queue, reporting partial batch failures', () => {
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionLogicalId(s.json, 'render') },
      BatchSize: REQUEST_QUEUE.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('keeps renders and plans in a private, encrypted, TLS-only bucket with a lifecycle', () => {
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: Match.arrayWith([
        Match.objectLike({ Prefix: 'rendered/', Status: 'Enabled' }),
        Match.objectLike({ Prefix: 'plans/', Status: 'Enabled' }),
      ]) },
    });
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('has the two secrets and an encrypted notifications topic', () => {
    s.template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

describe('GitwaveStack: HTTP API, triggers and alarms', () => {
  it('routes the webhook without AWS auth and the API with IAM auth', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /webhooks/github', AuthorizationType: 'NONE' });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /api/{proxy+}', AuthorizationType: 'AWS_IAM' });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ DetailedMetricsEnabled: true }),
    });
  });

  it('serves the dashboard from a private bucket through CloudFront (OAC), /ui/api to the HTTP API under a Cognito JWT authoriser', () => {
    const [[distributionId, distribution]] = resourcesOf('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    assert.equal(config.DefaultRootObject, 'index.html');
    assert.equal(config.DefaultCacheBehavior.ViewerProtocolPolicy, 'redirect-to-https');
    // Deep links get index.html from a function on the site's behaviour (never error pages, which would hide the API's 403s).
    assert.equal(config.CustomErrorResponses, undefined);
    const [[, deepLinks]] = resourcesOf('AWS::CloudFront::Function');
    assert.equal(config.DefaultCacheBehavior.FunctionAssociations[0].EventType, 'viewer-request');
    const rewrite = new Function('event', `${deepLinks.Properties.FunctionCode}; return handler(event);`) as (e: unknown) => { uri: string };
    for (const [uri, served] of [['/apps/orders-dev', '/index.html'], ['/apps/web.v2/diff', '/index.html'], ['/app.js', '/app.js'], ['/config.json', '/config.json']]) {
      assert.equal(rewrite({ request: { uri } }).uri, served, uri);
    }
    const siteOrigin = config.Origins.find((o: any) => o.S3OriginConfig);
    assert.ok(siteOrigin.OriginAccessControlId, 'the bucket is reached through Origin Access Control');
    assert.equal(siteOrigin.S3OriginConfig.OriginAccessIdentity, '');
    const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/ui/api/*');
    assert.ok(api, 'a /ui/api/* behaviour');
    assert.ok(config.Origins.find((o: any) => o.Id === api.TargetOriginId).CustomOriginConfig, '/ui/api/* goes to the HTTP API');
    assert.deepEqual(api.AllowedMethods.sort(), ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    // The site bucket: private, and only this distribution may read it.
    const [[bucketId]] = resourcesOf('AWS::S3::BucketPolicy').filter(([, p]) => JSON.stringify(p).includes('cloudfront.amazonaws.com'));
    const policy = s.json.Resources[bucketId].Properties.PolicyDocument.Statement.find((st: any) => st.Principal?.Service === 'cloudfront.amazonaws.com');
    assert.deepEqual(policy.Action, 's3:GetObject');
    assert.match(JSON.stringify(policy.Condition), new RegExp(distributionId));
    s.template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: Match.arrayWith(['/index.html', '/config.json']) });
    // Sign-in: a closed Cognito user pool with MFA, the deployer and admin groups, a public client (code + PKCE).
    s.template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    assert.deepEqual(resourcesOf('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName).sort(), ['admin', 'deployer']);
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false, AllowedOAuthFlows: ['code'] });
    const [[authorizerId, authorizer]] = resourcesOf('AWS::ApiGatewayV2::Authorizer');
    assert.equal(authorizer.Properties.AuthorizerType, 'JWT');
    assert.match(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer), /cognito-idp/);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /ui/api/{proxy+}', AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it('sends FAILED, TIMED_OUT and ABORTED executions of the sync and writer state machines to the janitor', () => {
    const machines = resourcesOf('AWS::StepFunctions::StateMachine').map(([id]) => ({ Ref: id }));
    assert.equal(machines.length, 2);
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: Match.arrayEquals(machines) },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId(s.json, 'janitor'), 'Arn'] } })],
    });
  });

  it('sends SUCCEEDED writer executions to the janitor too: a writer that handed over its history ends holding the lock', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { status: ['SUCCEEDED'], stateMachineArn: [{ Ref: machineIds().writerId }] } }),
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId(s.json, 'janitor'), 'Arn'] } })],
    });
  });

  it('runs the drift sweep every 3 minutes through EventBridge Scheduler', () => {
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(3 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId(s.json, 'drift'), 'Arn'] }, Input: '{"trigger":"schedule"}' }),
    });
  });

  it('alarms on dead letters, failed syncs and webhook 5xx', () => {
    const alarms = resourcesOf('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    assert.equal(alarms.length, 3);
    const text = JSON.stringify(alarms);
    assert.match(text, /ApproximateNumberOfMessagesVisible/);
    assert.match(text, /ExecutionsFailed/);
    assert.match(text, /ExecutionsTimedOut/);
    assert.match(text, /"MetricName":"5xx"/);
    assert.match(text, /\/webhooks\/github/);
    for (const alarm of alarms) assert.equal(alarm.Threshold, 1);
  });
});

describe('GitwaveStack: least privilege (SECURITY.md §5)', () => {
  const wildcardActions = (key: string) => actionsOf(s.json, key).filter((a) => a.endsWith('*'));

  it('grants no wildcard actions and no scans to any function', () => {
    for (const key of FUNCTION_KEYS) {
      assert.deepEqual(wildcardActions(key), [], key);
      assert.ok(!actionsOf(s.json, key).includes('dynamodb:Scan'), key);
    }
  });

  it('uses Resource * only for X-Ray, which has no resource-level permissions', () => {
    for (const key of FUNCTION_KEYS) {
      const open = statementsOf(s.json, key).filter((st) => st.Resource === '*');
      for (const st of open) assert.ok([st.Action].flat().every((a: string) => a.startsWith('xray:')), `${key}: ${JSON.stringify(st.Action)}`);
    }
  });

  it('lets the webhook read its secret, send to the one queue, and touch only delivery items', () => {
    const actions = new Set(actionsOf(s.json, 'webhook'));
    for (const forbidden of ['sts:AssumeRole', 's3:GetObject', 's3:PutObject', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'states:StartExecution']) {
      assert.ok(!actions.has(forbidden), forbidden);
    }
    const put = statementsOf(s.json, 'webhook').find((st) => [st.Action].flat().includes('dynamodb:PutItem'));
    assert.deepEqual(put?.Condition, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DELIVERY#*'] } });
    const send = statementsOf(s.json, 'webhook').find((st) => st.Action === 'sqs:SendMessage');
    assert.ok(send && !Array.isArray(send.Resource), 'SendMessage on one queue');
    assert.ok(actions.has('secretsmanager:GetSecretValue'));
  });

  it('keeps cluster credentials away from the render function', () => {
    const statements = statementsOf(s.json, 'render');
    assert.ok(!actionsOf(s.json, 'render').some((a) => a.startsWith('sts:') || a.startsWith('eks:')));
    const put = statements.find((st) => st.Action === 's3:PutObject');
    assert.match(JSON.stringify(put?.Resource), /\/rendered\/\*/);
    const invoke = statements.find((st) => st.Action === 'lambda:InvokeFunction');
    assert.deepEqual(invoke?.Resource, { 'Fn::GetAtt': [functionLogicalId(s.json, 'plan'), 'Arn'] });
  });

  it('lets the render function record a refusal as status: UpdateItem on APP# items only, ConditionCheckItem on lock items', () => {
    const statements = statementsOf(s.json, 'render');
    const allowing = (action: string) => statements.filter((st) => [st.Action].flat().includes(action));
    const leadingKeys = (st: Record<string, any>) => st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
    assert.ok(allowing('dynamodb:UpdateItem').length > 0, 'the refusal is an Update of APP#<app>/STATUS in a transaction');
    for (const st of allowing('dynamodb:UpdateItem')) assert.deepEqual(leadingKeys(st), ['APP#*']);
    assert.ok(allowing('dynamodb:ConditionCheckItem').some((st) => JSON.stringify(leadingKeys(st)) === '["CLUSTER#*"]'), 'the transaction checks the lock item');
    for (const forbidden of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) assert.deepEqual(allowing(forbidden), [], forbidden);
  });

  it('lets the api function read clusters for /diff through the read-only role only', () => {
    const assume = statementsOf(s.json, 'api').filter((st) => st.Action === 'sts:AssumeRole');
    assert.equal(assume.length, 1);
    assert.match(JSON.stringify(assume[0].Resource), /:role\/gitwave-reader-\*/);
    assert.doesNotMatch(JSON.stringify(assume[0].Resource), /gitwave-deployer-/);
  });

  it('lets apply and check assume only gitwave-deployer-* roles, and drift only the read-only ones', () => {
    const assumable = (key: string) => statementsOf(s.json, key).filter((st) => st.Action === 'sts:AssumeRole').map((st) => JSON.stringify(st.Resource));
    for (const key of ['apply-wave', 'check-wave', 'plan']) {
      assert.equal(assumable(key).length, 1, key);
      assert.match(assumable(key)[0], /:role\/gitwave-deployer-\*/);
    }
    assert.match(assumable('drift')[0], /:role\/gitwave-reader-\*/);
    assert.equal(assumable('drift').length, 1);
    for (const key of ['webhook', 'render', 'lock', 'record', 'janitor']) assert.deepEqual(assumable(key), [], key);
  });

  it('lets apply-wave, alone of the sync functions, send to the request queue (a child Application\'s first render)', () => {
    const sends = (key: string) => statementsOf(s.json, key).filter((st) => st.Action === 'sqs:SendMessage');
    assert.equal(sends('apply-wave').length, 1);
    assert.ok(!Array.isArray(sends('apply-wave')[0].Resource), 'SendMessage on one queue');
    for (const key of ['check-wave', 'lock', 'record', 'plan', 'janitor']) assert.deepEqual(sends(key), [], key);
  });

  it('limits the lock function to lock items', () => {
    const data = statementsOf(s.json, 'lock').filter((st) => [st.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    assert.equal(data.length, 1);
    assert.deepEqual(data[0].Condition, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CLUSTER#*'] } });
  });

  it('lets the sync state machine invoke its three functions only, and the writer the lock function and sync executions only', () => {
    const { syncId, writerId } = machineIds();
    const invoked = (smId: string) => new Set(machineStatements(smId).filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'))
      .flatMap((st) => [st.Resource].flat()).map((r) => JSON.stringify(r).match(/"([A-Za-z0-9]+Function[A-Z0-9]+)"/)?.[1]));
    assert.deepEqual([...invoked(syncId)].sort(), ['apply-wave', 'check-wave', 'record'].map((key) => functionLogicalId(s.json, key)).sort());
    assert.deepEqual([...invoked(writerId)], [functionLogicalId(s.json, 'lock')]);
    assert.deepEqual(machineStatements(syncId).filter((st) => JSON.stringify(st.Action).includes('states:')), [], 'a sync starts nothing');
    const starts = machineStatements(writerId).filter((st) => [st.Action].flat().includes('states:StartExecution'));
    assert.deepEqual(starts.map((st) => st.Resource), [{ Ref: syncId }], 'the writer starts syncs (startExecution.sync), nothing else');
  });

  it('lets only the plan and janitor functions start executions, of the writer only', () => {
    const { writerId } = machineIds();
    for (const key of FUNCTION_KEYS) {
      assert.equal(actionsOf(s.json, key).includes('states:StartExecution'), key === 'plan' || key === 'janitor', key);
    }
    for (const key of ['plan', 'janitor']) {
      const starts = statementsOf(s.json, key).filter((st) => [st.Action].flat().includes('states:StartExecution'));
      assert.deepEqual(starts.map((st) => st.Resource), [{ Ref: writerId }], key);
    }
  });
});
