/**
 * The inputs of the engine's handlers, checked at the edge (zod) against contracts.ts: a malformed
 * input is refused with the field named, before any read or write. Such an error is permanent, so it
 * is not retried: the state machine's catch records the failure.
 */
import * as z from 'zod';
import { SYNC_PHASES } from './contracts.ts';
import type { LockTaskInput, PlanRequest, RecordTaskInput, WaveTaskInput } from './contracts.ts';

/** A task input that does not match its contract. */
export class TaskInputError extends Error {
  override readonly name = 'TaskInputError';
}

const name = z.string().min(1).max(253);
const fence = z.number().int().nonnegative();
const owner = z.string().min(1).max(2048);
const trigger = z.enum(['webhook', 'drift', 'selfHeal', 'manual']);

/** A commit sha, or the exact version of a chart from a chart repository (its revision, SemVer: `1.4.0`, `0.2.0-rc.1+build.5`). */
const REVISION = /^(?:[0-9a-f]{7,64}|v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

const planRequest = z.object({
  app: name, revision: z.string().regex(REVISION, 'must be a commit sha or a chart version'), renderKey: z.string().regex(/^rendered\/[^/]+\.json$/, 'must be rendered/<hash>.json'),
  trigger, requestId: z.string().min(1).max(128).optional(),
});

const lockInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('acquire'), cluster: name, syncId: name, owner, attempt: z.number().int().positive() }),
  z.object({ action: z.literal('claim'), cluster: name, owner, fence, done: z.array(z.object({ app: name, syncId: name, resumes: z.number().int().min(0).optional() })).max(1000).optional(),
    spent: z.number().int().min(0).optional(), eventBudget: z.number().int().min(1).optional() }),
  z.object({ action: z.literal('release'), cluster: name, owner, fence, seq: z.number().int().nonnegative().optional() }),
]);

const waveInput = z.object({
  app: name, cluster: name, syncId: name, planKey: z.string().regex(/^plans\/[^/]+\/[^/]+\.json$/, 'must be plans/<app>/<syncId>.json'),
  owner, fence, phase: z.enum([...SYNC_PHASES, 'SyncFail']),
});

const recordInput = z.object({
  app: name, cluster: name, syncId: name, owner, fence, outcome: z.enum(['Succeeded', 'Failed']),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.join('.') : '(input)';
  throw new TaskInputError(`invalid ${what}: field ${field}: ${issue.message.toLowerCase()}`);
}

/** @example parsePlanRequest(event) // PlanRequest, or a TaskInputError naming the field */
export const parsePlanRequest = (value: unknown): PlanRequest => parse(planRequest, value, 'plan request');
export const parseLockInput = (value: unknown): LockTaskInput => parse(lockInput, value, 'lock task input');
export const parseWaveInput = (value: unknown): WaveTaskInput => parse(waveInput, value, 'wave task input');
export const parseRecordInput = (value: unknown): RecordTaskInput => parse(recordInput, value, 'record task input');
