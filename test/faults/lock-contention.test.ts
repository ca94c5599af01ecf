// Lock contention (issue 12, fault suite; SECURITY.md §4, §7 rows 34-37): generated schedules of
// acquire / renew / release / janitor release / fenced writes / lease expiry by many contenders on one
// cluster lock, against AWS's DynamoDB Local. Each step runs the contenders' calls
// concurrently; between steps the store's injectable clock moves (leases lapse without sleeping).
// The checks use the fence as the order of acquisitions (every successful acquire ADDs 1):
// - never a second holder: a new owner's fence g is granted only if fence g-1 was released or its
//   lease (renewals included) had lapsed at that step's time;
// - the fence only grows, by exactly one per acquisition, and `read` never shows it go back;
// - a stale holder never writes: a fenced status / operation / history write, renew or release
//   succeeds only with the current fence, never one superseded in an earlier step, never after its
//   release, never with a guard no acquire returned; and a refused write leaves no trace (the status,
//   the operation records and history hold exactly what the successful writes wrote).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LockLostError, type LockGuard, type OperationRecord, type Store } from '../../shared/store/index.ts';
import { T0, useDynamo } from '../store/helpers.ts';

const fixture = useDynamo();
const CONTENDERS = 6;
const OWNER = (n: number) => `arn:aws:states:us-east-1:000000000000:execution:gitwave-sync:contender-${n}`;
const SEED = Number(process.env.FAULTS_SEED ?? 20261205);
const RUNS = Number(process.env.FAULTS_LOCK_RUNS ?? 30);

type Write = 'status' | 'operation' | 'finish';
type Op =
  | { kind: 'acquire'; leaseMs: number }
  | { kind: 'renew' | 'release' | 'janitor'; guard: number }
  | { kind: 'write'; write: Write; guard: number };
interface Step { advanceMs: number; calls: Array<{ who: number; op: Op }> }

/** Which of the contender's guards to use: -1 the newest, -2 one no acquire ever returned, else an index (old fences). */
const guardPick = fc.oneof({ weight: 5, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.constant(-2) }, { weight: 2, arbitrary: fc.nat(5) });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('acquire' as const), leaseMs: fc.constantFrom(1_000, 5_000, 60_000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('renew' as const, 'release' as const, 'janitor' as const), guard: guardPick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), write: fc.constantFrom<Write>('status', 'operation', 'finish'), guard: guardPick }) },
);
/** One call per contender per step (each contender is sequential, like one execution); steps run them together. */
const step: fc.Arbitrary<Step> = fc.record({
  advanceMs: fc.constantFrom(0, 0, 400, 1_500, 6_000, 61_000),
  calls: fc.uniqueArray(fc.record({ who: fc.nat(CONTENDERS - 1), op }), { minLength: 1, maxLength: 4, selector: (c) => c.who }),
});
const schedule = fc.array(step, { minLength: 1, maxLength: 12 });

interface Epoch { fence: number; owner: string; step: number; leaseUntil: number; releasedAt?: number }
type Outcome = 'ok' | 'refused';

/** The model the results are checked against; it only learns from what the store answered. */
class History {
  readonly epochs = new Map<number, Epoch>();
  readonly guards = new Map<number, LockGuard[]>();
  maxFence = 0;
  statusTokens = new Set<string>();
  operationTokens = new Set<string>();
  historyTokens = new Set<string>();

  guardOf(who: number, pick: number, cluster: string): LockGuard {
    const mine = this.guards.get(who) ?? [];
    if (pick === -2 || mine.length === 0) return { cluster, owner: OWNER(who), fence: this.maxFence + 7 };
    return pick === -1 ? mine[mine.length - 1] : mine[pick % mine.length];
  }

  /** Could a call holding `guard` have been the current holder at some point of step `s`? */
  mayWrite(guard: LockGuard, s: number, fenceBeforeStep: number): boolean {
    const epoch = this.epochs.get(guard.fence);
    if (!epoch || epoch.owner !== guard.owner) return false;
    if (guard.fence < fenceBeforeStep) return false;
    return epoch.releasedAt === undefined || epoch.releasedAt >= s;
  }
}

interface Tally { [key: string]: number }

async function runSchedule(store: Store, cluster: string, app: string, steps: Step[], clock: { t: number }, tally: Tally): Promise<void> {
  const history = new History();
  const count = (key: string) => { tally[key] = (tally[key] ?? 0) + 1; };
  for (const [s, { advanceMs, calls }] of steps.entries()) {
    clock.t += advanceMs;
    const now = clock.t;
    const fenceBeforeStep = history.maxFence;
    const picked = calls.map(({ who, op: o }) => ({ who, op: o, guard: 'guard' in o ? history.guardOf(who, o.guard, cluster) : undefined }));
    const results = await Promise.all(picked.map(({ who, op: o, guard }) => call(store, cluster, app, who, o, guard, `${cluster}-c${who}-s${s}`)));
    const acquired = results.flatMap((r, i) => (r.kind === 'acquire' && r.fence !== undefined ? [{ who: picked[i].who, fence: r.fence, leaseUntil: r.leaseUntil! }] : []));

    // The fence only grows, by one per acquisition: this step's fences are exactly the next ones.
    const fences = acquired.map((a) => a.fence).sort((x, y) => x - y);
    assert.deepEqual(fences, fences.map((_, i) => fenceBeforeStep + 1 + i), `step ${s}: fences ${fences} after ${fenceBeforeStep}`);
    for (const a of acquired) {
      history.epochs.set(a.fence, { fence: a.fence, owner: OWNER(a.who), step: s, leaseUntil: a.leaseUntil });
      history.guards.set(a.who, [...(history.guards.get(a.who) ?? []), { cluster, owner: OWNER(a.who), fence: a.fence }]);
    }
    history.maxFence = Math.max(fenceBeforeStep, ...fences);

    for (const [i, result] of results.entries()) {
      const { who, op: o, guard } = picked[i];
      const label = `step ${s}: contender ${who} ${o.kind}${o.kind === 'write' ? ` ${o.write}` : ''}`;
      count(`${o.kind === 'write' ? o.write : o.kind} ${result.outcome}`);
      if (guard && result.outcome === 'ok' && o.kind !== 'janitor') {
        // A stale holder never writes (nor renews, nor releases).
        assert.ok(history.mayWrite(guard, s, fenceBeforeStep), `${label} with fence ${guard.fence} succeeded though stale (current ${fenceBeforeStep})`);
        const epoch = history.epochs.get(guard.fence)!;
        if (o.kind === 'renew') epoch.leaseUntil = Math.max(epoch.leaseUntil, result.leaseUntil!);
        if (o.kind === 'release') epoch.releasedAt = s;
        if (o.kind === 'write') history[`${o.write === 'status' ? 'status' : o.write === 'operation' ? 'operation' : 'history'}Tokens`].add(result.token!);
        if (o.kind === 'write' && o.write === 'finish') history.operationTokens.add(result.token!);
      }
      if (o.kind === 'janitor' && result.outcome === 'ok') {
        // Owner-conditional: it freed whichever of this owner's epochs was current; mark them all.
        for (const epoch of history.epochs.values()) if (epoch.owner === OWNER(who) && epoch.releasedAt === undefined) epoch.releasedAt = s;
      }
    }

    // Never a second holder: a new owner got fence g only once fence g-1 was released or had lapsed.
    for (const a of acquired) {
      const previous = history.epochs.get(a.fence - 1);
      if (!previous || previous.owner === OWNER(a.who)) continue;
      const free = (previous.releasedAt !== undefined && previous.releasedAt <= s) || previous.leaseUntil < now;
      assert.ok(free, `step ${s}: contender ${a.who} got fence ${a.fence} while ${previous.owner} held fence ${previous.fence} until ${previous.leaseUntil} (now ${now})`);
    }

    // What the store shows agrees: the newest fence, held by its owner or free; the status holds this step's write, if any.
    const lock = await store.read(cluster);
    assert.equal(lock?.fence ?? 0, history.maxFence, `step ${s}: read() fence`);
    if (lock?.owner) assert.equal(lock.owner, history.epochs.get(lock.fence)!.owner, `step ${s}: read() owner`);
    const written = results.filter((r) => r.kind === 'write' && r.outcome === 'ok' && (r.write === 'status' || r.write === 'finish')).map((r) => r.token!);
    assert.ok(written.length <= 1, `step ${s}: two status writes succeeded in one step: ${written}`);
    const status = await store.getStatus(app);
    if (written.length === 1) assert.equal(status?.desiredKey, written[0], `step ${s}: status`);
    if (status?.desiredKey) assert.ok(history.statusTokens.has(status.desiredKey) || history.historyTokens.has(status.desiredKey), `step ${s}: status holds a refused write ${status.desiredKey}`);
  }

  // Refused writes left nothing: operation records and history are exactly the successful writes.
  const operations = new Set((await store.listOperations(app)).map((r) => r.syncId));
  assert.deepEqual([...operations].sort(), [...history.operationTokens].sort(), 'operation records');
  const entries = new Set((await store.listHistory(app)).map((h) => h.syncId));
  assert.deepEqual([...entries].sort(), [...history.historyTokens].sort(), 'history entries');

  // And the lock is free at the end: after every lease lapsed, a newcomer gets the next fence and gives it back.
  clock.t += 120_000;
  const last = await store.acquire(cluster, OWNER(99), { syncId: 'last', leaseMs: 60_000 });
  assert.ok(last.acquired && last.fence === history.maxFence + 1, `final acquire: ${JSON.stringify(last)}`);
  assert.equal(await store.release({ cluster, owner: OWNER(99), fence: last.fence }), true);
  assert.equal((await store.read(cluster))?.held, false);
}

interface Result { kind: Op['kind']; outcome: Outcome; write?: Write; fence?: number; leaseUntil?: number; token?: string }

async function call(store: Store, cluster: string, app: string, who: number, o: Op, guard: LockGuard | undefined, token: string): Promise<Result> {
  switch (o.kind) {
    case 'acquire': {
      const result = await store.acquire(cluster, OWNER(who), { syncId: token, leaseMs: o.leaseMs });
      return result.acquired ? { kind: o.kind, outcome: 'ok', fence: result.fence, leaseUntil: result.leaseUntil } : { kind: o.kind, outcome: 'refused' };
    }
    case 'renew':
      return refusedOnLockLost(o, async () => ({ kind: o.kind, outcome: 'ok', leaseUntil: await store.renew(guard!, { leaseMs: 5_000 }) }));
    case 'release':
      return { kind: o.kind, outcome: (await store.release(guard!)) ? 'ok' : 'refused' };
    case 'janitor':
      return { kind: o.kind, outcome: (await store.releaseAbandoned(cluster, OWNER(who))) ? 'ok' : 'refused' };
    case 'write':
      return refusedOnLockLost(o, async () => {
        if (o.write === 'status') await store.writeStatus(app, { desiredKey: token }, guard!);
        else if (o.write === 'operation') await store.putOperation(record(app, token, 'Running'), guard!);
        else await store.finishOperation(record(app, token, 'Succeeded'), guard!, { revisionHistoryLimit: 1000, status: { desiredKey: token } });
        return { kind: o.kind, write: o.write, outcome: 'ok', token };
      });
  }
}

/** LockLostError is the only acceptable refusal; anything else fails the run. */
async function refusedOnLockLost(o: Op, run: () => Promise<Result>): Promise<Result> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof LockLostError)) throw error;
    return { kind: o.kind, outcome: 'refused', ...(o.kind === 'write' ? { write: o.write } : {}) };
  }
}

function record(app: string, syncId: string, phase: OperationRecord['phase']): OperationRecord {
  return {
    syncId, app, phase, revision: 'c'.repeat(40), source: { repoURL: 'https://github.com/acme/web', targetRevision: 'main', path: 'app' },
    dryRun: false, prune: false, selective: false, fromGit: true, initiatedBy: { automated: true }, startedAt: new Date(T0).toISOString(),
  };
}

describe('lock contention (property)', () => {
  it('§7 rows 34-37: many contenders with expired leases and stale fences never make a second holder, and a stale holder never writes', async (t) => {
    const { store, clock } = await fixture();
    const tally: Tally = {};
    let runs = 0;
    await fc.assert(fc.asyncProperty(schedule, async (steps) => {
      runs += 1;
      await runSchedule(store, `c${runs}`, `app-${runs}`, steps, clock, tally);
    }), { seed: SEED, numRuns: RUNS });
    const calls = Object.values(tally).reduce((a, b) => a + b, 0);
    t.diagnostic(`lock contention: seed ${SEED}, ${runs} schedules, ${calls} calls: ${Object.entries(tally).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const kind of ['acquire ok', 'acquire refused', 'renew refused', 'status ok', 'status refused', 'finish refused', 'janitor ok']) {
      assert.ok((tally[kind] ?? 0) > 0, `the schedules never produced "${kind}"`);
    }
  });
});
