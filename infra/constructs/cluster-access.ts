/**
 * How functions reach clusters: by assuming a role made per cluster by the platform team, never by
 * holding cluster credentials of their own (SECURITY.md §5). Writers may assume only
 * `gitwave-deployer-<cluster>`; the drift sweep only the read-only `gitwave-reader-<cluster>`. The
 * roles' access entries decide what they may do inside the cluster.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { justify } from '../nag.ts';
import type { GitwaveFunction } from './gitwave-function.ts';

export const DEPLOYER_ROLE_PREFIX = 'gitwave-deployer-';
export const READER_ROLE_PREFIX = 'gitwave-reader-';

export interface ClusterAccessProps {
  /** Accounts whose clusters gitwave deploys to; default: this stack's account only. */
  readonly clusterAccountIds?: string[];
}

export class ClusterAccess extends Construct {
  private readonly accounts: string[];

  constructor(scope: Construct, id: string, props: ClusterAccessProps = {}) {
    super(scope, id);
    this.accounts = props.clusterAccountIds?.length ? props.clusterAccountIds : [Aws.ACCOUNT_ID];
  }

  /** sts:AssumeRole into `gitwave-deployer-*` only. */
  grantDeploy(fn: GitwaveFunction): void {
    this.grantAssume(fn, DEPLOYER_ROLE_PREFIX);
  }

  /** sts:AssumeRole into the read-only `gitwave-reader-*` only. */
  grantRead(fn: GitwaveFunction): void {
    this.grantAssume(fn, READER_ROLE_PREFIX);
  }

  private grantAssume(fn: GitwaveFunction, prefix: string): void {
    fn.grant(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: this.accounts.map((account) => `arn:${Aws.PARTITION}:iam::${account}:role/${prefix}*`),
    }));
    justify(fn.role, {
      id: 'AwsSolutions-IAM5',
      reason: `one ${prefix}<cluster> role per registered cluster; the name prefix is the limit and the roles are made by the platform team`,
      findings: this.accounts.map((account) => `Resource::arn:<AWS::Partition>:iam::${account === Aws.ACCOUNT_ID ? '<AWS::AccountId>' : account}:role/${prefix}*`),
    });
  }
}
