/**
 * The S3 bucket for renders (`rendered/`) and plans (`plans/`): private, encrypted, TLS only, with a
 * lifecycle that expires old objects (a render is a cache; a plan matters while its sync runs and
 * for the history view). Grants are per prefix, so the render function cannot touch plans.
 */
import { Duration, RemovalPolicy, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_PREFIXES } from '../../shared/config/resources.ts';
import { arnReference, justify } from '../nag.ts';
import type { GitwaveFunction } from './gitwave-function.ts';

export type ArtifactPrefix = (typeof BUCKET_PREFIXES)[keyof typeof BUCKET_PREFIXES];

export interface ArtifactBucketProps {
  /** Days a render is kept (a later render of the same input is then a cache miss). */
  readonly renderRetentionDays?: number;
  /** Days a plan is kept. */
  readonly planRetentionDays?: number;
}

export class ArtifactBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { prefix: BUCKET_PREFIXES.rendered, expiration: Duration.days(props.renderRetentionDays ?? 30) },
        { prefix: BUCKET_PREFIXES.plans, expiration: Duration.days(props.planRetentionDays ?? 90) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    justify(this.bucket, {
      id: 'AwsSolutions-S1',
      reason: 'only gitwave functions write here, under prefixes granted per function; CloudTrail records the API calls',
    });
  }

  /** GetObject under `prefix` (and ListBucket there, so a missing key reads as 404, not 403). */
  grantReadUnder(fn: GitwaveFunction, prefix: ArtifactPrefix): void {
    justifyPrefix(fn, this.bucket, prefix);
    fn.grant(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${prefix}*`)] }),
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
  }

  /** PutObject under `prefix` only. */
  grantPutUnder(fn: GitwaveFunction, prefix: ArtifactPrefix): void {
    justifyPrefix(fn, this.bucket, prefix);
    fn.grant(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${prefix}*`)] }));
  }
}

/** Object ARNs under a prefix end in `*` by nature; the prefix is what limits them. */
function justifyPrefix(fn: GitwaveFunction, bucket: s3.Bucket, prefix: ArtifactPrefix): void {
  justify(fn.role, {
    id: 'AwsSolutions-IAM5',
    reason: `object access is limited to the ${prefix} prefix of the gitwave bucket`,
    findings: [`Resource::${arnReference(bucket.node.defaultChild as CfnResource)}/${prefix}*`],
  });
}
