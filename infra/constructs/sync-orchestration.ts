/**
 * The deploy itself: the functions the state machine invokes (lock, apply-wave, check-wave,
 * record), the state machine, and the janitor with its rule. Permissions follow SECURITY.md §5:
 * only apply/check may assume a deployer role, only the lock function touches lock items, only
 * record publishes notifications.
 */
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.ts';
import { BUCKET_PREFIXES, KEY_PREFIXES } from '../../shared/config/resources.ts';
import type { ClusterAccess } from './cluster-access.ts';
import type { CoreResources } from './core-resources.ts';
import { GitwaveFunction } from './gitwave-function.ts';
import { JanitorRule } from './janitor-rule.ts';
import type { RequestQueue } from './request-queue.ts';
import type { SyncNotifications } from './sync-notifications.ts';
import { SyncStateMachine } from './sync-state-machine.ts';

export interface SyncOrchestrationProps extends CoreResources {
  readonly notifications: SyncNotifications;
  readonly clusters: ClusterAccess;
  /** apply-wave asks for a child Application's first render when a parent registers it. */
  readonly queue: RequestQueue;
}

/** The lock item and the cluster's pending syncs (claim reads them, and deletes those that ran). */
const LOCK_ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:DeleteItem'];

export class SyncOrchestration extends Construct {
  readonly lock: GitwaveFunction;
  readonly applyWave: GitwaveFunction;
  readonly checkWave: GitwaveFunction;
  readonly record: GitwaveFunction;
  readonly janitor: GitwaveFunction;
  readonly sync: SyncStateMachine;

  constructor(scope: Construct, id: string, props: SyncOrchestrationProps) {
    super(scope, id);
    const { defaults, table, bucket, clusters } = props;
    this.lock = new GitwaveFunction(this, 'Lock', { ...defaults, key: 'lock', description: 'acquires the cluster lock, claims the pending syncs, releases the lock when idle' });
    table.grantItemsUnder(this.lock, KEY_PREFIXES.cluster, LOCK_ITEM_ACTIONS);

    this.applyWave = new GitwaveFunction(this, 'ApplyWave', { ...defaults, key: 'apply-wave', description: 'applies the next wave of a phase', reachesClusters: true });
    this.checkWave = new GitwaveFunction(this, 'CheckWave', { ...defaults, key: 'check-wave', description: 'checks the health of the running wave', reachesClusters: true });
    for (const fn of [this.applyWave, this.checkWave]) {
      table.grantReadWriteItems(fn);
      bucket.grantReadUnder(fn, BUCKET_PREFIXES.plans);
      clusters.grantDeploy(fn);
    }
    props.queue.grantSend(this.applyWave);

    this.record = new GitwaveFunction(this, 'Record', { ...defaults, key: 'record', description: 'records the outcome of a sync and announces it' });
    table.grantReadWriteItems(this.record);
    bucket.grantReadUnder(this.record, BUCKET_PREFIXES.plans);
    props.notifications.grantPublish(this.record);

    this.sync = new SyncStateMachine(this, 'Sync', {
      lock: this.lock, applyWave: this.applyWave, checkWave: this.checkWave, record: this.record,
    });

    this.janitor = new GitwaveFunction(this, 'Janitor', {
      ...defaults,
      environment: { ...defaults.environment, [ENV.WRITER_STATE_MACHINE_ARN]: this.sync.writer.stateMachineArn },
      key: 'janitor', description: 'cleans up after a sync or writer that ended without finishing, and hands a dead writer\'s queue on',
    });
    table.grantReadWriteItems(this.janitor);
    this.sync.grantStart(this.janitor);
    new JanitorRule(this, 'JanitorRule', { stateMachines: [this.sync.stateMachine, this.sync.writer], writer: this.sync.writer, janitor: this.janitor });
  }
}
