import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthesize } from './synth.ts';
import { KUSTOMIZE_LAYER } from './fixtures.ts';

describe('cdk-nag AwsSolutions on the gitwave stack', () => {
  it('finds nothing unacknowledged, and every acknowledgment gives a reason', () => {
    const s = synthesize({ codeMode: 'inline' }, { nag: true });
    try {
      const acknowledgments = s.stack.node.findAll().flatMap((c) => c.node.metadata)
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>));
      assert.ok(acknowledgments.length > 0);
      for (const [id, reason] of acknowledgments) {
        assert.match(id, /AwsSolutions-[A-Z0-9]+/);
        assert.ok(reason.length >= 40, `${id}: "${reason}" is too short to be a justification`);
      }
      // IAM5 is acknowledged finding by finding, never for a whole role.
      assert.ok(!acknowledgments.some(([id]) => /AwsSolutions-IAM5$/.test(id)));
    } finally {
      s.cleanup();
    }
  });

  it('still reports a wildcard that nobody justified (the checks are live)', () => {
    assert.throws(
      () => synthesize({ codeMode: 'inline' }, {
        nag: true,
        modify: (stack) => stack.frontDoor.webhook.grant(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: [stack.frontDoor.webhook.logGroup.logGroupArn] })),
      }),
      /AwsSolutions-IAM5\[Action::dynamodb:\*\][\s\S]*FrontDoor\/Webhook\/Role/,
    );
  });

  it('passes with functions in a VPC, a kustomize layer and cross-account cluster roles too', () => {
    const s = synthesize({
      codeMode: 'inline',
      clusterVpc: { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-1', 'subnet-2'], availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
      clusterAccountIds: ['222222222222'],
      kustomizeLayerPath: KUSTOMIZE_LAYER,
    }, { nag: true });
    s.cleanup();
  });
});
