import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthesize } from './synth.ts';

// The passing runs are in stack.test.ts (default options) and variants.test.ts (every option).
describe('cdk-nag AwsSolutions on the gitwave stack', () => {
  it('still reports a wildcard that nobody justified (the checks are live)', () => {
    assert.throws(
      () => synthesize({ codeMode: 'inline' }, {
        nag: true,
        modify: (stack) => stack.frontDoor.webhook.grant(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: [stack.frontDoor.webhook.logGroup.logGroupArn] })),
      }),
      /AwsSolutions-IAM5\[Action::dynamodb:\*\][\s\S]*FrontDoor\/Webhook\/Role/,
    );
  });
});
