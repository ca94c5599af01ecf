/**
 * GET /api/executions/{name}: one execution of the sync state machine as the dashboard draws it:
 * the definition it ran (DescribeStateMachineForExecution, so the graph is whatever was synthesized,
 * never a copy of it), its status, its event history (GetExecutionHistory) and the Step Functions
 * console's page for it. The same calls go to AWS and to the local stand-in (local/stubs).
 */
import {
  DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { HttpError } from '../lambda/errors.ts';
import { ENV, requiredEnv } from '../config/env.ts';
import { executionArnOf } from '../engine/executions.ts';

export interface ExecutionEvent {
  id: number;
  type: string;
  timestamp: string;
  /** The state entered or exited, when the event names one. */
  state?: string;
}

export interface ExecutionView {
  name: string;
  executionArn: string;
  status: string;
  startDate: string | null;
  stopDate: string | null;
  error: string | null;
  cause: string | null;
  /** The Amazon States Language definition the execution ran. */
  definition: unknown;
  events: ExecutionEvent[];
  /** The state entered last and not exited (what the graph highlights), if it still runs. */
  current: string | null;
  consoleUrl: string;
}

/** What the route reads: one port so tests can plug in any Step Functions endpoint. */
export interface ExecutionReader {
  read(name: string): Promise<ExecutionView>;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
let defaultReader: ExecutionReader | undefined;

/** GET /api/executions/{name} */
export async function getExecution(reader: ExecutionReader | undefined, name: string): Promise<ExecutionView> {
  if (!NAME.test(name)) throw new HttpError(400, `execution name ${JSON.stringify(name)}: expected 1-80 characters of A-Z a-z 0-9 _ -`);
  defaultReader ??= sfnExecutionReader(new SFNClient({}), requiredEnv(ENV.STATE_MACHINE_ARN));
  return (reader ?? defaultReader).read(name);
}

/** The Step Functions adapter. */
export function sfnExecutionReader(client: SFNClient, stateMachineArn: string): ExecutionReader {
  return {
    async read(name) {
      const executionArn = executionArnOf(stateMachineArn, name);
      let described;
      try {
        described = await client.send(new DescribeExecutionCommand({ executionArn }));
      } catch (error) {
        if ((error as { name?: string }).name === 'ExecutionDoesNotExist') throw new HttpError(404, `execution ${name} not found`);
        throw error;
      }
      const [machine, events] = await Promise.all([
        client.send(new DescribeStateMachineForExecutionCommand({ executionArn })),
        historyOf(client, executionArn),
      ]);
      return {
        name, executionArn, status: described.status ?? 'UNKNOWN',
        startDate: described.startDate?.toISOString() ?? null, stopDate: described.stopDate?.toISOString() ?? null,
        error: described.error ?? null, cause: described.cause ?? null,
        definition: JSON.parse(machine.definition ?? '{}'),
        events, current: described.status === 'RUNNING' ? currentState(events) : null,
        consoleUrl: consoleUrlOf(executionArn),
      };
    },
  };
}

async function historyOf(client: SFNClient, executionArn: string): Promise<ExecutionEvent[]> {
  const events: ExecutionEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []).map(eventView));
    nextToken = page.nextToken;
  } while (nextToken && events.length < 10_000);
  return events;
}

function eventView(e: HistoryEvent): ExecutionEvent {
  const state = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
  return { id: e.id ?? 0, type: e.type ?? '', timestamp: e.timestamp?.toISOString() ?? '', ...(state ? { state } : {}) };
}

/** The last state entered and not exited since. */
export function currentState(events: readonly ExecutionEvent[]): string | null {
  const open: string[] = [];
  for (const e of events) {
    if (!e.state) continue;
    if (e.type.endsWith('StateEntered')) open.push(e.state);
    else if (e.type.endsWith('StateExited')) open.splice(open.lastIndexOf(e.state), 1);
  }
  return open.at(-1) ?? null;
}

/** The Step Functions console's page for an execution (its region from the ARN). */
export function consoleUrlOf(executionArn: string): string {
  const region = executionArn.split(':')[3];
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
