/**
 * A local stand-in for AWS Step Functions (Standard): the StartExecution / DescribeExecution /
 * StopExecution / ListExecutions / GetExecutionHistory / DescribeStateMachineForExecution calls of the service's JSON 1.0 protocol,
 * executing the very definitions `cdk synth` produced (the sync state machine and the cluster writer)
 * with aws-local-stepfunctions, each Task state bound to the real handler in this process, and a
 * `startExecution.sync:2` task to `runChild`, which runs the child here and answers (or fails) as the
 * service does. Execution status changes are handed to `onStatusChange`
 * the way EventBridge hands them to the janitor. Records are kept in a JSON file so a restart knows
 * which executions were cut short (they end ABORTED, and the janitor hears of it).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { StateMachine, ExecutionAbortedError } from 'aws-local-stepfunctions';
import { AwsServiceError, startStubServer, targetOperation, type StubServer } from './http-json.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn?: string;
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

export interface LocalMachine {
  stateMachineArn: string;
  definition: Record<string, unknown>;
  /** Task state name → the handler it invokes. */
  taskHandlers: Record<string, (input: unknown) => Promise<unknown>>;
  /** Wait state name → milliseconds (tests shorten waits; omit to keep them real). */
  waitOverrides?: Record<string, number>;
  /** State name → milliseconds before each retrier's retry (tests shorten back-offs; omit to keep them). */
  retryOverrides?: Record<string, number[]>;
}

export interface LocalStepFunctionsOptions extends LocalMachine {
  /** More state machines (the first is the one above; StartExecution picks by `stateMachineArn`). */
  more?: LocalMachine[];
  /** Called when an execution ends other than SUCCEEDED, or SUCCEEDED for the machines in `reportSucceeded` (the EventBridge rules of the janitor). */
  onStatusChange?: (detail: { executionArn: string; stateMachineArn: string; status: ExecutionStatus; input: string }) => Promise<void>;
  /** State machines whose SUCCEEDED executions `onStatusChange` hears too (the writer: it may end holding the lock). */
  reportSucceeded?: string[];
  /** JSON file that keeps execution records across restarts. */
  persistPath?: string;
}

/** What `startExecution.sync:2` answers: the child's DescribeExecution, its output parsed. */
export interface ChildExecutionOutput {
  ExecutionArn: string;
  Name: string;
  Status: 'SUCCEEDED';
  Output: unknown;
  StartDate: number;
  StopDate?: number;
}

export interface LocalStepFunctions extends StubServer {
  executions(): ExecutionRecord[];
  /**
   * The `startExecution.sync:2` task: starts (or joins, for a running twin of the same input) the
   * named execution and waits for it; fails with `States.TaskFailed` when it does not succeed, like
   * the service, and with `StepFunctions.ExecutionAlreadyExistsException` for a closed one.
   */
  runChild(input: { StateMachineArn: string; Name: string; Input: unknown }): Promise<ChildExecutionOutput>;
  /** Resolves when every running execution has ended. */
  drain(): Promise<void>;
}

export async function startLocalStepFunctions(options: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const machines = new Map([options, ...(options.more ?? [])].map((m) => [m.stateMachineArn, {
    ...m, machine: new StateMachine(m.definition as never, { validationOptions: { checkArn: false, checkPaths: false } }),
  }]));
  // Keyed by execution ARN: two state machines may have executions of one name.
  const records = new Map<string, ExecutionRecord>(loadRecords(options.persistPath).map((r) => [r.executionArn, r]));
  const running = new Map<string, { abort: () => void; done: Promise<void> }>();
  const persist = () => saveRecords(options.persistPath, [...records.values()]);
  const machineOf = (arn: string | undefined) => {
    const found = machines.get(arn ?? options.stateMachineArn);
    if (!found) throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return found;
  };
  const arnOf = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

  const finish = async (record: ExecutionRecord, status: ExecutionStatus, extra: Partial<ExecutionRecord>) => {
    Object.assign(record, { status, stopDate: Date.now(), ...extra });
    persist();
    if (status !== 'SUCCEEDED' || options.reportSucceeded?.includes(record.stateMachineArn ?? options.stateMachineArn)) {
      await options.onStatusChange?.({ executionArn: record.executionArn, stateMachineArn: record.stateMachineArn ?? options.stateMachineArn, status, input: record.input })
        .catch((error) => process.stderr.write(`janitor: ${(error as Error).message}\n`));
    }
  };
  // Executions cut short by a previous stop of the runtime: as if stopped, so the janitor frees their lock.
  for (const record of records.values()) if (record.status === 'RUNNING') await finish(record, 'ABORTED', { error: 'States.Aborted', cause: 'local runtime restarted' });

  const start = (stateMachineArn: string, name: string, input: string): ExecutionRecord => {
    const m = machineOf(stateMachineArn);
    const record: ExecutionRecord = { executionArn: arnOf(stateMachineArn, name), stateMachineArn, name, input, status: 'RUNNING', startDate: Date.now(), events: [] };
    records.set(record.executionArn, record);
    persist();
    const execution = m.machine.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: m.taskHandlers as never, waitTimeOverrides: m.waitOverrides, retryIntervalOverrides: m.retryOverrides },
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
      .finally(() => running.delete(record.executionArn));
    running.set(record.executionArn, { abort: execution.abort, done });
    return record;
  };

  /** StartExecution: a running twin of the same input is that execution; any other existing one is an error. */
  const startOrJoin = (stateMachineArn: string, name: string, input: string): ExecutionRecord => {
    const existing = records.get(arnOf(stateMachineArn, name));
    if (existing && (existing.status !== 'RUNNING' || existing.input !== input)) {
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }
    return existing ?? start(stateMachineArn, name, input);
  };

  const runChild = async (task: { StateMachineArn: string; Name: string; Input: unknown }): Promise<ChildExecutionOutput> => {
    let record: ExecutionRecord;
    try {
      record = startOrJoin(task.StateMachineArn, task.Name, typeof task.Input === 'string' ? task.Input : JSON.stringify(task.Input ?? {}));
    } catch (error) {
      throw namedError('StepFunctions.ExecutionAlreadyExistsException', (error as Error).message);
    }
    await running.get(record.executionArn)?.done;
    if (record.status !== 'SUCCEEDED') throw namedError('States.TaskFailed', JSON.stringify(describe(record)));
    return { ExecutionArn: record.executionArn, Name: record.name, Status: 'SUCCEEDED', Output: JSON.parse(record.output ?? 'null'), StartDate: record.startDate, StopDate: record.stopDate };
  };

  const server = await startStubServer(async (req, body) => {
    const params = JSON.parse(body.toString('utf8') || '{}') as Record<string, string>;
    switch (targetOperation(req)) {
      case 'StartExecution': {
        const record = startOrJoin(params.stateMachineArn ?? options.stateMachineArn, params.name ?? crypto.randomUUID(), params.input ?? '{}');
        return { body: { executionArn: record.executionArn, startDate: record.startDate / 1000 } };
      }
      case 'DescribeExecution':
        return { body: describe(recordByArn(records, params.executionArn)) };
      case 'StopExecution': {
        const record = recordByArn(records, params.executionArn);
        running.get(record.executionArn)?.abort();
        await running.get(record.executionArn)?.done;
        return { body: { stopDate: (record.stopDate ?? Date.now()) / 1000 } };
      }
      case 'ListExecutions': {
        const machine = params.stateMachineArn ?? options.stateMachineArn;
        const listed = [...records.values()].filter((r) => (r.stateMachineArn ?? options.stateMachineArn) === machine && (!params.statusFilter || r.status === params.statusFilter));
        return { body: { executions: listed.map((r) => describe(r)) } };
      }
      case 'DescribeStateMachineForExecution': {
        const record = recordByArn(records, params.executionArn);
        const m = machineOf(record.stateMachineArn);
        return { body: { stateMachineArn: m.stateMachineArn, name: m.stateMachineArn.split(':').at(-1), definition: JSON.stringify(m.definition), roleArn: 'arn:aws:iam::000000000000:role/local', updateDate: Date.now() / 1000 } };
      }
      case 'GetExecutionHistory':
        return { body: { events: recordByArn(records, params.executionArn).events.map(historyEvent) } };
      default:
        throw new AwsServiceError('UnknownOperationException', `${targetOperation(req)} is not supported locally`);
    }
  }, 'application/x-amz-json-1.0');

  return {
    ...server,
    executions: () => [...records.values()],
    runChild,
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
  const record = arn === undefined ? undefined : records.get(arn);
  if (!record) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return record;
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function describe(r: ExecutionRecord) {
  return {
    executionArn: r.executionArn, stateMachineArn: r.stateMachineArn ?? r.executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''), name: r.name, status: r.status, input: r.input, output: r.output,
    error: r.error, cause: r.cause, startDate: r.startDate / 1000, stopDate: r.stopDate ? r.stopDate / 1000 : undefined,
  };
}

function loadRecords(path: string | undefined): ExecutionRecord[] {
  if (!path || !existsSync(path)) return [];
  return JSON.parse(readFileSync(path, 'utf8')) as ExecutionRecord[];
}

function saveRecords(path: string | undefined, records: ExecutionRecord[]): void {
  if (!path) return;
  try {
    writeFileSync(`${path}.tmp`, JSON.stringify(records));
    renameSync(`${path}.tmp`, path);
  } catch (error) {
    // An execution that ends while its runtime is being torn down finds the home folder removed:
    // there is nobody left to restart from those records, so losing the write loses nothing.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
