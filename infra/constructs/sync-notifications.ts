/** The SNS topic that announces finished syncs (succeeded or failed); people subscribe to it. */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { GitwaveFunction } from './gitwave-function.ts';

export class SyncNotifications extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'gitwave sync notifications',
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
  }

  grantPublish(fn: GitwaveFunction): void {
    fn.grant(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
  }
}
