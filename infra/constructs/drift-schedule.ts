/**
 * The drift sweep's clock: EventBridge Scheduler invokes the drift function every few minutes with
 * a fixed input, through a role of its own that may invoke that function only. No retries: the next
 * sweep comes soon and does the same work.
 */
import { Duration, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DRIFT_SCHEDULE_MINUTES } from '../../shared/config/resources.ts';
import type { DriftScheduleInput } from '../../shared/engine/contracts.ts';
import { arnReference, justify } from '../nag.ts';
import type { GitwaveFunction } from './gitwave-function.ts';

export interface DriftScheduleProps {
  readonly drift: GitwaveFunction;
  readonly everyMinutes?: number;
}

export class DriftSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DriftScheduleProps) {
    super(scope, id);
    const input: DriftScheduleInput = { trigger: 'schedule' };
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'gitwave: lets EventBridge Scheduler invoke the drift function',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'gitwave: sweep every cluster for drift and missed commits',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(props.everyMinutes ?? DRIFT_SCHEDULE_MINUTES)),
      target: new LambdaInvoke(props.drift.function, {
        input: scheduler.ScheduleTargetInput.fromObject(input),
        retryAttempts: 0,
        role: this.role,
      }),
    });
    justify(this.role, {
      id: 'AwsSolutions-IAM5',
      reason: 'the qualified ARNs (versions, aliases) of the drift function only',
      findings: [`Resource::${arnReference(props.drift.function.node.defaultChild as CfnResource)}:*`],
    });
  }
}
