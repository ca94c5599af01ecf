/**
 * The janitor's trigger: an EventBridge rule on the sync and writer state machines' executions that
 * end FAILED, TIMED_OUT or ABORTED. Those are the exits that may skip every Catch (timeout, stop, runtime
 * errors); the janitor releases a lock still owned by such an execution (SECURITY.md §4). A second
 * rule sends the writer's SUCCEEDED executions too: one that handed over its history ends holding the lock.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { GitwaveFunction } from './gitwave-function.ts';

export interface JanitorRuleProps {
  readonly stateMachines: sfn.IStateMachine[];
  /** The writer state machine: its SUCCEEDED executions go to the janitor too (a writer that handed over ends holding the lock). */
  readonly writer?: sfn.IStateMachine;
  readonly janitor: GitwaveFunction;
}

export const JANITOR_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

export class JanitorRule extends Construct {
  readonly rule: events.Rule;
  readonly handOverRule?: events.Rule;

  constructor(scope: Construct, id: string, props: JanitorRuleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'gitwave: release the cluster lock of a sync that ended without releasing it',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: JANITOR_STATUSES, stateMachineArn: props.stateMachines.map((m) => m.stateMachineArn) },
      },
      targets: [new targets.LambdaFunction(props.janitor.function, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
    if (!props.writer) return;
    this.handOverRule = new events.Rule(this, 'HandOverRule', {
      description: 'gitwave: a writer that ended holding the cluster lock (its history was full) hands its queue to a fresh writer',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED'], stateMachineArn: [props.writer.stateMachineArn] },
      },
      targets: [new targets.LambdaFunction(props.janitor.function, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
  }
}
