/**
 * The two state machines (Standard: exactly-once, history kept 90 days), each with its log group:
 * the sync state machine (one Application's operation; its role may invoke the three task functions
 * and nothing else; sync-definition.ts) and the writer (one per cluster, running the cluster's pending
 * syncs as child executions of the first; its role may invoke the lock function and start, watch and
 * stop executions of the sync state machine; writer-definition.ts). The local runtime executes the
 * very definitions this synthesizes (infra/local-definition.ts).
 */
import { Duration, RemovalPolicy, Stack, Token, type CfnResource } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { arnReference, justify, XRAY_WILDCARD } from '../nag.ts';
import type { GitwaveFunction } from './gitwave-function.ts';
import { STATE_MACHINE_METADATA } from './metadata.ts';
import { syncDefinition } from './sync-definition.ts';
import { writerDefinition } from './writer-definition.ts';

export interface SyncStateMachineProps {
  readonly lock: GitwaveFunction;
  readonly applyWave: GitwaveFunction;
  readonly checkWave: GitwaveFunction;
  readonly record: GitwaveFunction;
  /** Longest a sync may run; the janitor marks a timed-out sync's operation ended. */
  readonly timeout?: Duration;
}

export { STATE_MACHINE_METADATA };

export class SyncStateMachine extends Construct {
  /** The sync state machine: one execution per Application sync. */
  readonly stateMachine: sfn.StateMachine;
  /** The writer state machine: one running execution per busy cluster. */
  readonly writer: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: SyncStateMachineProps) {
    super(scope, id);
    const syncTimeout = props.timeout ?? Duration.hours(3);
    const fns = { applyWave: props.applyWave.function, checkWave: props.checkWave.function, record: props.record.function };
    this.stateMachine = standardMachine(this, 'StateMachine', 'sync', {
      comment: 'gitwave sync: one Application, one cluster, phases and waves in order, under its cluster writer\'s lease',
      definitionBody: sfn.DefinitionBody.fromChainable(syncDefinition(this, fns)),
      timeout: syncTimeout,
    });
    justifyFunctions(this.stateMachine, Object.values(fns), 'the qualified ARNs (versions, aliases) of the three task functions only');
    const writerScope = new Construct(this, 'Writer');
    this.writer = standardMachine(writerScope, 'StateMachine', 'writer', {
      comment: 'gitwave writer: the one writer of a cluster, running its pending syncs (many at once) until none is left',
      definitionBody: sfn.DefinitionBody.fromChainable(writerDefinition(writerScope, props.lock.function, this.stateMachine, syncTimeout)),
      // A writer outlives its syncs; a stuck one is ended here and the janitor hands its queue to a new one.
      timeout: Duration.hours(24),
    });
    justifyFunctions(this.writer, [props.lock.function], 'the qualified ARNs (versions, aliases) of the lock function only');
    justify(this.writer.role, {
      id: 'AwsSolutions-IAM5',
      reason: 'startExecution.sync:2 watches and stops the child executions it starts (execution ARNs of the sync state machine only)',
      findings: [`Resource::arn:<AWS::Partition>:states:${pseudo(this, 'region')}:${pseudo(this, 'account')}:execution:${stateMachineNameToken(this.stateMachine)}*`],
    });
  }

  /** states:StartExecution on the writer state machine only (the plan λ and the janitor start writers). */
  grantStart(fn: GitwaveFunction): void {
    this.writer.grantStartExecution(fn.role);
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


function standardMachine(scope: Construct, id: string, kind: 'sync' | 'writer', props: Pick<sfn.StateMachineProps, 'comment' | 'definitionBody' | 'timeout'>): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
  const machine = new sfn.StateMachine(scope, id, {
    ...props,
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    // Payloads hold ids and S3 keys only, so logging them is safe and makes failures readable.
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  (machine.node.defaultChild as CfnResource).addMetadata(STATE_MACHINE_METADATA, kind);
  return machine;
}

function justifyFunctions(machine: sfn.StateMachine, fns: Array<GitwaveFunction['function']>, reason: string): void {
  justify(machine.role, XRAY_WILDCARD, {
    id: 'AwsSolutions-IAM5',
    reason: 'CloudWatch Logs delivery actions (logs:CreateLogDelivery, …) support no resource-level permissions',
    findings: ['Resource::*'],
  }, {
    id: 'AwsSolutions-IAM5',
    reason,
    findings: fns.map((fn) => `Resource::${arnReference(fn.node.defaultChild as CfnResource)}:*`),
  });
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
