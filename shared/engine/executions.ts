/**
 * Starting a cluster's writer (docs/engine.md: the plan λ and the janitor start writers, a writer
 * starts the syncs as child executions): a one-verb port with a Step Functions adapter; the local
 * runtime puts aws-local-stepfunctions behind the same port. Names are derived, never random, so a
 * repeated start cannot run twice: Step Functions answers a running twin with success and a closed
 * one with ExecutionAlreadyExists (SECURITY.md §4), and both mean "already started". A sync's id is
 * a hash of app + revision + request, so a repeated request (an SQS duplicate, a re-delivered
 * webhook) is the same pending sync.
 */
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WriterExecutionInput } from './contracts.ts';

export interface StartedExecution {
  executionArn: string;
  /** False when an execution of that name already existed (nothing new was started). */
  started: boolean;
}

/** Starts one execution of the writer state machine (the writer starts the syncs, docs/engine.md). */
export interface Executions {
  start(name: string, input: WriterExecutionInput): Promise<StartedExecution>;
}

import { executionArnOf } from './execution-names.ts';

export { childExecutionName, executionArnOf, executionName, writerExecutionName } from './execution-names.ts';

/**
 * The Step Functions adapter.
 * @example const executions = sfnExecutions(new SFNClient({}), process.env.STATE_MACHINE_ARN!);
 */
export function sfnExecutions(client: SFNClient, stateMachineArn: string): Executions {
  return {
    async start(name, input) {
      try {
        const answer = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
        return { executionArn: answer.executionArn ?? executionArnOf(stateMachineArn, name), started: true };
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists || (error as { name?: string }).name === 'ExecutionAlreadyExists') {
          return { executionArn: executionArnOf(stateMachineArn, name), started: false };
        }
        throw error;
      }
    },
  };
}
