/**
 * What the end-to-end tests read about a cluster's writers (docs/engine.md, "One writer per cluster"):
 * the writer executions that held the cluster, the child syncs each started, and the proof that
 * there was never a second writer.
 */
import assert from 'node:assert/strict';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { WRITER_STATE_NAMES } from '../../../shared/engine/contracts.ts';
import { leaseOfUserAgent } from '../../../shared/engine/lease-agent.ts';
import { LOCAL_WRITER_STATE_MACHINE_ARN } from '../../../local/runtime.ts';
import { stateStore } from '../../../shared/lambda/runtime.ts';
import type { LambdaHandler } from '../../../local/lambda-host.ts';
import { waitFor, type E2E } from './runtime.ts';

/** The audit log and the execution records are stamped by two clocks of one machine (milliseconds apart at most). */
const CLOCK_SLACK_MS = 50;

/** Child sync executions of `app` at `revision`, in start order. */
export function executionsOf(e2e: E2E, app: string, revision: string) {
  return e2e.rt.stepFunctions.executions()
    .filter((x) => JSON.parse(x.input).app === app && JSON.parse(x.input).revision === revision)
    .sort((a, b) => a.startDate - b.startDate);
}

/** Writer executions that held the cluster (claimed at least once), in start order. */
export function writersThatHeld(e2e: E2E) {
  return e2e.rt.stepFunctions.executions()
    .filter((x) => x.stateMachineArn === LOCAL_WRITER_STATE_MACHINE_ARN && x.events.some((ev) => ev.state === WRITER_STATE_NAMES.claim))
    .sort((a, b) => a.startDate - b.startDate);
}

/** StopExecution through the local Step Functions' wire API, as a person in the console would. */
export async function stopExecution(e2e: E2E, executionArn: string): Promise<void> {
  const sfn = new SFNClient({ endpoint: e2e.rt.stepFunctions.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await sfn.send(new StopExecutionCommand({ executionArn, cause: 'test: the writer crashed' }));
  } finally {
    sfn.destroy();
  }
}

/**
 * Never a second writer: the writers that held the cluster never overlapped, and every write the
 * simulator's audit log shows in `namespaces` (no dry runs, no reads) fell inside one writer's time.
 */
export function assertOneWriterAtATime(e2e: E2E, namespaces: readonly string[]): void {
  const writers = writersThatHeld(e2e);
  for (let i = 1; i < writers.length; i++) {
    assert.ok(writers[i - 1].stopDate !== undefined && writers[i - 1].stopDate! <= writers[i].startDate + CLOCK_SLACK_MS,
      `writer ${writers[i].name} started while ${writers[i - 1].name} still ran`);
  }
  for (const write of e2e.writes().filter((w) => !w.dryRun && namespaces.includes(w.namespace))) {
    const at = Date.parse(write.time);
    const under = writers.filter((w) => w.startDate - CLOCK_SLACK_MS <= at && at <= (w.stopDate ?? Infinity) + CLOCK_SLACK_MS);
    assert.equal(under.length >= 1, true, `${write.verb} ${write.resource}/${write.name} at ${write.time} was made under a writer`);
  }
}

/**
 * No object applied under two writers' leases: every write in `namespaces` since audit entry `from`
 * names its lease in the User-Agent (shared/engine/lease-agent.ts); the fences never go back in the
 * order the cluster took the writes (a write under an older lease after a newer one would be a
 * second writer); and each fence was one writer's. Answers the fences seen, in order.
 */
export function assertWritesFenced(e2e: E2E, namespaces: readonly string[], from = 0): number[] {
  const writes = e2e.writes().slice(from).filter((w) => namespaces.includes(w.namespace));
  assert.ok(writes.length > 0, 'the cluster took writes');
  const ownersByFence = new Map<number, Set<string>>();
  for (const child of e2e.rt.stepFunctions.executions()) {
    const input = JSON.parse(child.input) as { fence?: number; owner?: string };
    if (input.fence !== undefined && input.owner) ownersByFence.set(input.fence, (ownersByFence.get(input.fence) ?? new Set()).add(input.owner));
  }
  const fences: number[] = [];
  for (const write of writes) {
    const what = `${write.verb} ${write.resource} ${write.namespace}/${write.name} at ${write.time}`;
    const lease = leaseOfUserAgent(write.userAgent);
    assert.ok(lease, `${what} names its writer lease (User-Agent ${JSON.stringify(write.userAgent)})`);
    assert.ok(fences.length === 0 || lease.fence >= fences.at(-1)!, `${what} made under fence ${lease.fence} after a write under fence ${fences.at(-1)}`);
    if (fences.at(-1) !== lease.fence) fences.push(lease.fence);
    assert.equal(ownersByFence.get(lease.fence)?.size, 1, `fence ${lease.fence} belongs to one writer: ${[...ownersByFence.get(lease.fence) ?? []]}`);
  }
  return fences;
}

/** A promise with its resolver, for gates the fault-injecting handlers wait on. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => { open = resolve; });
  return { promise, open };
}

/** The real handler of a function, for the fault-injecting wrappers to call. */
export function realHandler(file: string): Promise<LambdaHandler> {
  return import(`../../../functions/${file}.ts`).then((m: { handler: LambdaHandler }) => m.handler);
}

/**
 * The lock λ with a switch: once armed with `n`, the writer's next claim waits until `n` syncs are
 * pending, so one round runs them all (a slow claim, not a different engine).
 */
export function claimGate(): { handler: LambdaHandler; arm: (pending: number) => void } {
  let wanted: number | undefined;
  const handler: LambdaHandler = async (event, context) => {
    const input = event as { action: string; cluster: string };
    if (input.action === 'claim' && wanted !== undefined) {
      const n = wanted;
      await waitFor(`${n} syncs pending`, async () => (await stateStore().pendingCount(input.cluster)) >= n);
      wanted = undefined;
    }
    return (await realHandler('lock'))(event, context);
  };
  return { handler, arm: (pending) => { wanted = pending; } };
}
