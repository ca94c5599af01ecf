/**
 * A local stand-in for AWS Step Functions (Standard): the StartExecution / DescribeExecution /
 * StopExecution / ListExecutions / GetExecutionHistory / DescribeStateMachineForExecution calls of the service's JSON 1.0 protocol,
 * executing the very definition `cdk synth` produced with aws-local-stepfunctions, each Task state
 * bound to the real handler in this process. Execution status changes are handed to `onStatusChange`
 * the way EventBridge hands them to the janitor. Records are kept in a JSON file so a restart knows
 * which executions were cut short (they end ABORTED, and the janitor hears of it).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { StateMachine, ExecutionAbortedError } from 'aws-local-stepfunctions';
import { AwsServiceError, startStubServer, targetOperation, type StubServer } from './http-json.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** State names entered, in order: what the console's graph highlights. */
  events: Array<{ type: string; state?: string; timestamp: number }>;
}

export interface LocalStepFunctionsOptions {
  stateMachineArn: string;
  definition: Record<string, unknown>;
  /** Task state name → the handler it invokes. */
  taskHandlers: Record<string, (input: unknown) => Promise<unknown>>;
  /** Wait state name → milliseconds (tests shorten waits; omit to keep them real). */
  waitOverrides?: Record<string, number>;
  /** State name → milliseconds before each retrier's retry (tests shorten back-offs; omit to keep them). */
  retryOverrides?: Record<string, number[]>;
  /** Called when an execution ends other than SUCCEEDED (the EventBridge rule of the janitor). */
  onStatusChange?: (detail: { executionArn: string; stateMachineArn: string; status: ExecutionStatus; input: string }) => Promise<void>;
  /** JSON file that keeps execution records across restarts. */
  persistPath?: string;
}

export interface LocalStepFunctions extends StubServer {
  executions(): ExecutionRecord[];
  /** Resolves when every running execution has ended. */
  drain(): Promise<void>;
}

export async function startLocalStepFunctions(options: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const machine = new StateMachine(options.definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  const records = new Map<string, ExecutionRecord>(loadRecords(options.persistPath).map((r) => [r.name, r]));
  const running = new Map<string, { abort: () => void; done: Promise<void> }>();
  const persist = () => saveRecords(options.persistPath, [...records.values()]);
  const smName = options.stateMachineArn.split(':').at(-1)!;

  const finish = async (record: ExecutionRecord, status: ExecutionStatus, extra: Partial<ExecutionRecord>) => {
    Object.assign(record, { status, stopDate: Date.now(), ...extra });
    persist();
    if (status !== 'SUCCEEDED') {
      await options.onStatusChange?.({ executionArn: record.executionArn, stateMachineArn: options.stateMachineArn, status, input: record.input })
        .catch((error) => process.stderr.write(`janitor: ${(error as Error).message}\n`));
    }
  };
  // Executions cut short by a previous stop of the runtime: as if stopped, so the janitor frees their lock.
  for (const record of records.values()) if (record.status === 'RUNNING') await finish(record, 'ABORTED', { error: 'States.Aborted', cause: 'local runtime restarted' });

  const start = (name: string, input: string): ExecutionRecord => {
    const record: ExecutionRecord = { executionArn: `arn:aws:states:us-east-1:000000000000:execution:${smName}:${name}`, name, input, status: 'RUNNING', startDate: Date.now(), events: [] };
    records.set(name, record);
    persist();
    const execution = machine.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: options.taskHandlers as never, waitTimeOverrides: options.waitOverrides, retryIntervalOverrides: options.retryOverrides },
      context: { Execution: { Id: record.executionArn, Name: name, Input: JSON.parse(input), StartTime: new Date(record.startDate).toISOString(), RoleArn: 'arn:aws:iam::000000000000:role/local' } } as never,
    });
    const logs = (async () => {
      for await (const event of execution.eventLogs) {
        const e = event as { type: string; state?: { name: string; type: string }; timestamp?: number };
        record.events.push({ type: historyType(e.type, e.state?.type), state: e.state?.name, timestamp: e.timestamp ?? Date.now() });
      }
    })().catch(() => undefined);
    const done = execution.result
      .then((output) => finish(record, 'SUCCEEDED', { output: JSON.stringify(output) }))
      .catch((error: Error) => {
        if (error instanceof ExecutionAbortedError) return finish(record, 'ABORTED', {});
        const timedOut = error.name === 'ExecutionTimeoutError';
        const cause = (error as { cause?: { name?: string; message?: string } }).cause;
        return finish(record, timedOut ? 'TIMED_OUT' : 'FAILED', { error: cause?.name ?? error.name, cause: cause?.message ?? error.message });
      })
      .then(() => logs)
      .finally(() => running.delete(name));
    running.set(name, { abort: execution.abort, done });
    return record;
  };

  const server = await startStubServer(async (req, body) => {
    const params = JSON.parse(body.toString('utf8') || '{}') as Record<string, string>;
    switch (targetOperation(req)) {
      case 'StartExecution': {
        const existing = records.get(params.name);
        if (existing && (existing.status !== 'RUNNING' || existing.input !== (params.input ?? '{}'))) {
          throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
        }
        const record = existing ?? start(params.name ?? crypto.randomUUID(), params.input ?? '{}');
        return { body: { executionArn: record.executionArn, startDate: record.startDate / 1000 } };
      }
      case 'DescribeExecution':
        return { body: describe(recordByArn(records, params.executionArn), options.stateMachineArn) };
      case 'StopExecution': {
        const record = recordByArn(records, params.executionArn);
        running.get(record.name)?.abort();
        await running.get(record.name)?.done;
        return { body: { stopDate: (record.stopDate ?? Date.now()) / 1000 } };
      }
      case 'ListExecutions':
        return { body: { executions: [...records.values()].filter((r) => !params.statusFilter || r.status === params.statusFilter).map((r) => describe(r, options.stateMachineArn)) } };
      case 'DescribeStateMachineForExecution':
        recordByArn(records, params.executionArn);
        return { body: { stateMachineArn: options.stateMachineArn, name: smName, definition: JSON.stringify(options.definition), roleArn: 'arn:aws:iam::000000000000:role/local', updateDate: Date.now() / 1000 } };
      case 'GetExecutionHistory':
        return { body: { events: recordByArn(records, params.executionArn).events.map(historyEvent) } };
      default:
        throw new AwsServiceError('UnknownOperationException', `${targetOperation(req)} is not supported locally`);
    }
  }, 'application/x-amz-json-1.0');

  return {
    ...server,
    executions: () => [...records.values()],
    drain: async () => { while (running.size) await Promise.all([...running.values()].map((r) => r.done)); },
    stop: async () => {
      for (const r of running.values()) r.abort();
      await Promise.all([...running.values()].map((r) => r.done));
      await server.stop();
    },
  };
}

/** One event as GetExecutionHistory returns it: state names sit in `state{Entered,Exited}EventDetails`. */
function historyEvent(e: ExecutionRecord['events'][number], index: number) {
  const details = e.state === undefined ? {} : e.type.endsWith('StateEntered') ? { stateEnteredEventDetails: { name: e.state } } : e.type.endsWith('StateExited') ? { stateExitedEventDetails: { name: e.state } } : {};
  return { id: index + 1, type: e.type, timestamp: e.timestamp / 1000, ...details };
}

/** aws-local-stepfunctions' event names as the service's history types (`TaskStateEntered`, `ExecutionAborted`). */
function historyType(type: string, stateType: string | undefined): string {
  if (stateType && /^State(Entered|Exited|Failed|Retried|Caught)$/.test(type)) return `${stateType}${type}`;
  return type === 'ExecutionTerminated' ? 'ExecutionAborted' : type;
}

function recordByArn(records: Map<string, ExecutionRecord>, arn: string | undefined): ExecutionRecord {
  const record = [...records.values()].find((r) => r.executionArn === arn);
  if (!record) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return record;
}

function describe(r: ExecutionRecord, stateMachineArn: string) {
  return {
    executionArn: r.executionArn, stateMachineArn, name: r.name, status: r.status, input: r.input, output: r.output,
    error: r.error, cause: r.cause, startDate: r.startDate / 1000, stopDate: r.stopDate ? r.stopDate / 1000 : undefined,
  };
}

function loadRecords(path: string | undefined): ExecutionRecord[] {
  if (!path || !existsSync(path)) return [];
  return JSON.parse(readFileSync(path, 'utf8')) as ExecutionRecord[];
}

function saveRecords(path: string | undefined, records: ExecutionRecord[]): void {
  if (!path) return;
  writeFileSync(`${path}.tmp`, JSON.stringify(records));
  renameSync(`${path}.tmp`, path);
}
