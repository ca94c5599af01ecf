/**
 * The sync state machine (Standard: exactly-once, history kept 90 days) with its log group. Its role
 * may invoke the four named functions and nothing else; its definition is sync-definition.ts. The
 * local runtime executes the very definition this synthesizes (infra/local-definition.ts).
 */
import { Duration, RemovalPolicy, Stack, Token, type CfnResource } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { arnReference, justify, XRAY_WILDCARD } from '../nag.ts';
import type { GitwaveFunction } from './gitwave-function.ts';
import { syncDefinition, type SyncTimings } from './sync-definition.ts';

export interface SyncStateMachineProps {
  readonly lock: GitwaveFunction;
  readonly applyWave: GitwaveFunction;
  readonly checkWave: GitwaveFunction;
  readonly record: GitwaveFunction;
  /** Overrides of the waits and bounds (defaults: lock every 30 s up to 120 times, waves every 5 s). */
  readonly timings?: Partial<SyncTimings>;
  /** Longest a sync may run; the janitor releases the lock of a timed-out execution. */
  readonly timeout?: Duration;
}

export const DEFAULT_SYNC_TIMINGS: SyncTimings = {
  lockRetry: Duration.seconds(30),
  lockMaxAttempts: 120,
  waveWait: Duration.seconds(5),
};

export class SyncStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: SyncStateMachineProps) {
    super(scope, id);
    const timings = { ...DEFAULT_SYNC_TIMINGS, ...props.timings };
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    const fns = { lock: props.lock.function, applyWave: props.applyWave.function, checkWave: props.checkWave.function, record: props.record.function };
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'gitwave sync: one Application, one cluster, phases and waves in order, under the cluster lock',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(syncDefinition(this, fns, timings)),
      timeout: props.timeout ?? Duration.hours(3),
      tracingEnabled: true,
      // Payloads hold ids and S3 keys only, so logging them is safe and makes failures readable.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    justify(this.stateMachine.role, XRAY_WILDCARD, {
      id: 'AwsSolutions-IAM5',
      reason: 'CloudWatch Logs delivery actions (logs:CreateLogDelivery, …) support no resource-level permissions',
      findings: ['Resource::*'],
    }, {
      id: 'AwsSolutions-IAM5',
      reason: 'the qualified ARNs (versions, aliases) of the four named functions only',
      findings: Object.values(fns).map((fn) => `Resource::${arnReference(fn.node.defaultChild as CfnResource)}:*`),
    });
  }

  /** states:StartExecution on this state machine only. */
  grantStart(fn: GitwaveFunction): void {
    this.stateMachine.grantStartExecution(fn.role);
  }

  /** Read (and stop) this state machine's executions: the live wave view and terminate. */
  grantObserve(fn: GitwaveFunction): void {
    this.stateMachine.grantExecution(fn.role, 'states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution');
    justify(fn.role, {
      id: 'AwsSolutions-IAM5',
      reason: 'execution ARNs of the gitwave sync state machine only (one per sync, named at start)',
      findings: [`Resource::arn:<AWS::Partition>:states:${pseudo(this, 'region')}:${pseudo(this, 'account')}:execution:${stateMachineNameToken(this.stateMachine)}:*`],
    });
  }
}


/** How cdk-nag prints the state machine's name inside an execution ARN (taken from its ARN at deploy time). */
function stateMachineNameToken(stateMachine: sfn.StateMachine): string {
  const logicalId = Stack.of(stateMachine).getLogicalId(stateMachine.node.defaultChild as CfnResource);
  return JSON.stringify({ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: logicalId }] }] });
}

/** The stack's region or account as cdk-nag prints it: the literal, or the pseudo parameter. */
function pseudo(scope: Construct, field: 'region' | 'account'): string {
  const value = Stack.of(scope)[field];
  if (!Token.isUnresolved(value)) return value;
  return field === 'region' ? '<AWS::Region>' : '<AWS::AccountId>';
}
