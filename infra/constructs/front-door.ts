/**
 * What the outside world calls: the webhook function (GitHub pushes) and the api function (CLI and
 * dashboard) behind the HTTP API. The webhook may read its secret, find Applications by repository,
 * send to the one queue and record deliveries, nothing more (SECURITY.md §5). The api may read
 * clusters through the read-only `gitwave-reader-*` roles only (the live diff), never deploy.
 */
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.ts';
import { BUCKET_PREFIXES, KEY_PREFIXES } from '../../shared/config/resources.ts';
import type { ClusterAccess } from './cluster-access.ts';
import type { CoreResources } from './core-resources.ts';
import { GitwaveFunction } from './gitwave-function.ts';
import { GitwaveHttpApi } from './gitwave-http-api.ts';
import type { GitwaveSecrets } from './gitwave-secrets.ts';
import type { RequestQueue } from './request-queue.ts';
import type { SyncStateMachine } from './sync-state-machine.ts';

export interface FrontDoorProps extends CoreResources {
  readonly queue: RequestQueue;
  readonly clusters: ClusterAccess;
  readonly secrets: GitwaveSecrets;
  readonly sync: SyncStateMachine;
}

export class FrontDoor extends Construct {
  readonly webhook: GitwaveFunction;
  readonly api: GitwaveFunction;
  readonly http: GitwaveHttpApi;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    const { defaults, table, bucket, queue } = props;
    this.webhook = new GitwaveFunction(this, 'Webhook', { ...defaults, key: 'webhook', description: 'verifies GitHub pushes and queues sync requests' });
    props.secrets.grantReadWebhookSecret(this.webhook);
    table.grantQueryByRepository(this.webhook);
    table.grantItemsUnder(this.webhook, KEY_PREFIXES.delivery, ['dynamodb:GetItem', 'dynamodb:PutItem']);
    queue.grantSend(this.webhook);

    this.api = new GitwaveFunction(this, 'Api', {
      ...defaults,
      environment: { ...defaults.environment, [ENV.STATE_MACHINE_ARN]: props.sync.stateMachine.stateMachineArn },
      // `/diff` reads the cluster (server-side dry runs), so it runs where private endpoints are reachable.
      key: 'api', description: 'serves the gitwave API', reachesClusters: true,
    });
    table.grantReadWriteItems(this.api);
    table.grantQueryByRepository(this.api);
    bucket.grantReadUnder(this.api, BUCKET_PREFIXES.rendered);
    bucket.grantReadUnder(this.api, BUCKET_PREFIXES.plans);
    queue.grantSend(this.api);
    props.sync.grantObserve(this.api);
    props.clusters.grantRead(this.api);

    this.http = new GitwaveHttpApi(this, 'Http', { webhook: this.webhook, api: this.api });
  }
}
