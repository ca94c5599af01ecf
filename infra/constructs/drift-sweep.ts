/**
 * The drift sweep: a scheduled function that reads each cluster through a read-only role, updates
 * sync and health status, and queues syncs for selfHeal Applications and for commits whose webhook
 * never came.
 */
import { Construct } from 'constructs';
import { BUCKET_PREFIXES } from '../../shared/config/resources.ts';
import type { ClusterAccess } from './cluster-access.ts';
import { DriftSchedule } from './drift-schedule.ts';
import type { CoreResources } from './core-resources.ts';
import { GitwaveFunction } from './gitwave-function.ts';
import type { GitwaveSecrets } from './gitwave-secrets.ts';
import type { RequestQueue } from './request-queue.ts';

export interface DriftSweepProps extends CoreResources {
  readonly queue: RequestQueue;
  readonly secrets: GitwaveSecrets;
  readonly clusters: ClusterAccess;
}

export class DriftSweep extends Construct {
  readonly drift: GitwaveFunction;

  constructor(scope: Construct, id: string, props: DriftSweepProps) {
    super(scope, id);
    this.drift = new GitwaveFunction(this, 'Drift', { ...props.defaults, key: 'drift', description: 'sweeps clusters for drift and missed commits', reachesClusters: true });
    props.table.grantReadWriteItems(this.drift);
    props.table.grantQueryByRepository(this.drift);
    props.bucket.grantReadUnder(this.drift, BUCKET_PREFIXES.rendered);
    props.queue.grantSend(this.drift);
    props.secrets.grantReadGitTokens(this.drift);
    props.clusters.grantRead(this.drift);
    new DriftSchedule(this, 'Schedule', { drift: this.drift });
  }
}
