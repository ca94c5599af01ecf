/**
 * cdk-nag acknowledgments, each with the reason it is safe. Constructs call `justify` next to the
 * resource a finding concerns, so the reason sits beside the code that causes it. cdk-nag 3 reports
 * through CDK's policy validation: a rule with several findings (IAM5) is acknowledged finding by
 * finding (`AwsSolutions-IAM5[Resource::*]`), never wholesale.
 */
import { Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Justification {
  /** The rule id, e.g. `AwsSolutions-S1`. */
  id: string;
  reason: string;
  /** The findings acknowledged, as cdk-nag names them (`Resource::<Bucket1234.Arn>/plans/*`). */
  findings?: string[];
}

/** Acknowledges the given rules (or findings) on `construct` and its children. */
export function justify(construct: IConstruct, ...justifications: Justification[]): void {
  for (const { id, reason, findings } of justifications) {
    if (!findings?.length) Validations.of(construct).acknowledge({ id, reason });
    for (const finding of findings ?? []) Validations.of(construct).acknowledge({ id: `${id}[${finding}]`, reason });
  }
}

/** How cdk-nag writes a `Fn::GetAtt [resource, Arn]` inside a finding: `<LogicalId.Arn>`. */
export function arnReference(resource: CfnResource): string {
  return `<${Stack.of(resource).getLogicalId(resource)}.Arn>`;
}

/** X-Ray accepts no resource-level permissions, so tracing needs `Resource: *`. */
export const XRAY_WILDCARD: Justification = {
  id: 'AwsSolutions-IAM5',
  reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
  findings: ['Resource::*'],
};
