/**
 * The gitwave stack: storage and messaging first, then the deploy (state machine and the functions
 * it invokes), the request pipeline that starts it, the front door that feeds it, the drift sweep,
 * and the alarms. Every wire between them is a constructor argument, so this file reads as the
 * architecture of DESIGN.md ("Shape").
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ENV } from '../shared/config/env.ts';
import { importClusterVpc, type ClusterVpcAttributes } from './config.ts';
import { DEFAULT_LOCK_LEASE_SECONDS } from '../shared/config/resources.ts';
import { ArtifactBucket } from './constructs/artifact-bucket.ts';
import { ClusterAccess, DEPLOYER_ROLE_PREFIX, READER_ROLE_PREFIX } from './constructs/cluster-access.ts';
import { Dashboard, deploymentJustifications, type OidcIssuer } from './constructs/dashboard.ts';
import { justify } from './nag.ts';
import { ensureDashboardSync } from '../web/build.ts';
import { DriftSweep } from './constructs/drift-sweep.ts';
import { FrontDoor } from './constructs/front-door.ts';
import type { ClusterNetwork, CodeMode, FunctionDefaults } from './constructs/gitwave-function.ts';
import { GitwaveSecrets } from './constructs/gitwave-secrets.ts';
import { OperationalAlarms } from './constructs/operational-alarms.ts';
import { RequestPipeline } from './constructs/request-pipeline.ts';
import { RequestQueue } from './constructs/request-queue.ts';
import { StateTable } from './constructs/state-table.ts';
import { SyncNotifications } from './constructs/sync-notifications.ts';
import { SyncOrchestration } from './constructs/sync-orchestration.ts';

export interface GitwaveStackProps extends StackProps {
  /** `esbuild` (default) bundles the handlers; `inline` puts stubs in, for fast template tests. */
  readonly codeMode?: CodeMode;
  /** Directory holding `bin/kustomize` for the render function's layer. */
  readonly kustomizeLayerPath?: string;
  /** Directory holding `schemas/` (Kubernetes OpenAPI v3 documents) for the render function's other layer. */
  readonly schemasLayerPath?: string;
  /** Run the functions that reach clusters in this VPC (private EKS endpoints)… */
  readonly clusterNetwork?: ClusterNetwork;
  /** …or in this one, named by ids (from context). */
  readonly clusterVpc?: ClusterVpcAttributes;
  /** Accounts whose `gitwave-deployer-*` / `gitwave-reader-*` roles may be assumed (default: this one). */
  readonly clusterAccountIds?: string[];
  readonly lockLeaseSeconds?: number;
  /** Sign people in to the dashboard through this OIDC issuer instead of a Cognito user pool the stack creates. */
  readonly oidc?: OidcIssuer;
}

export class GitwaveStack extends Stack {
  readonly orchestration: SyncOrchestration;
  readonly pipeline: RequestPipeline;
  readonly frontDoor: FrontDoor;
  readonly drift: DriftSweep;
  readonly alarms: OperationalAlarms;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: GitwaveStackProps = {}) {
    super(scope, id, { description: 'gitwave: serverless GitOps continuous delivery for Amazon EKS', ...props });
    const table = new StateTable(this, 'State');
    const bucket = new ArtifactBucket(this, 'Artifacts');
    const secrets = new GitwaveSecrets(this, 'Secrets');
    const notifications = new SyncNotifications(this, 'Notifications');
    const queue = new RequestQueue(this, 'Requests');
    const clusters = new ClusterAccess(this, 'Clusters', { clusterAccountIds: props.clusterAccountIds });
    const defaults: FunctionDefaults = {
      codeMode: props.codeMode ?? 'esbuild',
      clusterNetwork: props.clusterNetwork ?? (props.clusterVpc && importClusterVpc(this, props.clusterVpc)),
      environment: {
        [ENV.TABLE_NAME]: table.table.tableName,
        [ENV.BUCKET_NAME]: bucket.bucket.bucketName,
        [ENV.QUEUE_URL]: queue.queue.queueUrl,
        [ENV.WEBHOOK_SECRET_ARN]: secrets.webhookSecret.secretArn,
        [ENV.GIT_TOKEN_SECRET_ARN]: secrets.gitTokens.secretArn,
        [ENV.TOPIC_ARN]: notifications.topic.topicArn,
        [ENV.LOCK_LEASE_SECONDS]: String(props.lockLeaseSeconds ?? DEFAULT_LOCK_LEASE_SECONDS),
        [ENV.DEPLOYER_ROLE_PREFIX]: DEPLOYER_ROLE_PREFIX,
        [ENV.READER_ROLE_PREFIX]: READER_ROLE_PREFIX,
        [ENV.WEBHOOK_MAX_BODY_BYTES]: String(1024 * 1024),
        [ENV.GITHUB_API_URL]: 'https://api.github.com',
      },
    };
    const shared = { defaults, table, bucket };
    this.orchestration = new SyncOrchestration(this, 'Orchestration', { ...shared, notifications, clusters, queue });
    const sync = this.orchestration.sync;
    this.pipeline = new RequestPipeline(this, 'Pipeline', { ...shared, queue, secrets, clusters, sync, kustomizeLayerPath: props.kustomizeLayerPath, schemasLayerPath: props.schemasLayerPath });
    this.frontDoor = new FrontDoor(this, 'FrontDoor', { ...shared, queue, secrets, sync, clusters });
    this.dashboard = new Dashboard(this, 'Dashboard', { http: this.frontDoor.http, webDist: ensureDashboardSync(), oidc: props.oidc });
    // CDK puts the BucketDeployment's function at the stack's root, one per stack.
    for (const child of this.node.children) if (child.node.id.startsWith('Custom::CDKBucketDeployment')) justify(child, ...deploymentJustifications(this, this.dashboard.bucket));
    this.drift = new DriftSweep(this, 'DriftSweep', { ...shared, queue, secrets, clusters });
    this.alarms = new OperationalAlarms(this, 'Alarms', {
      deadLetterQueue: queue.deadLetterQueue,
      stateMachine: sync.stateMachine,
      httpApi: this.frontDoor.http.httpApi,
      stageName: this.frontDoor.http.stage.stageName,
    });
    this.addOutputs(secrets, notifications);
  }

  /** What an operator needs after deploying: the webhook to register, the API, the secret, the topic. */
  private addOutputs(secrets: GitwaveSecrets, notifications: SyncNotifications): void {
    new CfnOutput(this, 'WebhookUrl', { value: this.frontDoor.http.webhookUrl, description: 'Payload URL for the GitHub webhook (push events, application/json)' });
    new CfnOutput(this, 'ApiUrl', { value: this.frontDoor.http.httpApi.apiEndpoint, description: 'gitwave API endpoint (gitwave --endpoint, SigV4)' });
    new CfnOutput(this, 'WebhookSecretArn', { value: secrets.webhookSecret.secretArn, description: 'Read it once and paste it into the GitHub webhook settings' });
    new CfnOutput(this, 'NotificationsTopicArn', { value: notifications.topic.topicArn });
    new CfnOutput(this, 'SyncStateMachineArn', { value: this.orchestration.sync.stateMachine.stateMachineArn });
    new CfnOutput(this, 'WriterStateMachineArn', { value: this.orchestration.sync.writer.stateMachineArn });
  }
}
