/**
 * The Lambda functions gitwave deploys: one key per function, its entry file under `functions/`, and
 * the environment variables it reads. The stack gives each function exactly these variables, and the
 * local runtime sets the same ones before binding the same handler, so the two cannot disagree.
 */
import { ENV, type EnvName } from '../config/env.ts';

export const FUNCTION_KEYS = [
  'webhook', 'render', 'plan', 'lock', 'apply-wave', 'check-wave', 'record', 'janitor', 'drift', 'api',
] as const;
export type FunctionKey = (typeof FUNCTION_KEYS)[number];

/** Entry file, relative to the project root; each exports `handler`. */
export function functionEntry(key: FunctionKey): string {
  return `functions/${key}.ts`;
}

const { TABLE_NAME, BUCKET_NAME, QUEUE_URL, STATE_MACHINE_ARN, WRITER_STATE_MACHINE_ARN, WEBHOOK_SECRET_ARN, GIT_TOKEN_SECRET_ARN,
  TOPIC_ARN, LOCK_LEASE_SECONDS, PLAN_FUNCTION_NAME, KUSTOMIZE_PATH, DEPLOYER_ROLE_PREFIX,
  READER_ROLE_PREFIX, WEBHOOK_MAX_BODY_BYTES, GITHUB_API_URL, GITWAVE_SCHEMAS } = ENV;

/** The variables each function needs (Powertools' own variables are set on every function). */
export const FUNCTION_ENV: Readonly<Record<FunctionKey, readonly EnvName[]>> = {
  webhook: [TABLE_NAME, QUEUE_URL, WEBHOOK_SECRET_ARN, WEBHOOK_MAX_BODY_BYTES],
  // GITWAVE_SCHEMAS is empty (strict validation off) unless the stack has a schemas layer.
  render: [TABLE_NAME, BUCKET_NAME, GIT_TOKEN_SECRET_ARN, KUSTOMIZE_PATH, PLAN_FUNCTION_NAME, GITHUB_API_URL, GITWAVE_SCHEMAS],
  plan: [TABLE_NAME, BUCKET_NAME, WRITER_STATE_MACHINE_ARN, DEPLOYER_ROLE_PREFIX],
  lock: [TABLE_NAME, LOCK_LEASE_SECONDS],
  // QUEUE_URL: a parent's wave queues the first render of each child it registers.
  'apply-wave': [TABLE_NAME, BUCKET_NAME, QUEUE_URL, DEPLOYER_ROLE_PREFIX, LOCK_LEASE_SECONDS],
  'check-wave': [TABLE_NAME, BUCKET_NAME, DEPLOYER_ROLE_PREFIX, LOCK_LEASE_SECONDS],
  record: [TABLE_NAME, BUCKET_NAME, TOPIC_ARN],
  janitor: [TABLE_NAME, WRITER_STATE_MACHINE_ARN],
  drift: [TABLE_NAME, BUCKET_NAME, QUEUE_URL, GIT_TOKEN_SECRET_ARN, READER_ROLE_PREFIX, GITHUB_API_URL],
  api: [TABLE_NAME, BUCKET_NAME, QUEUE_URL, STATE_MACHINE_ARN, READER_ROLE_PREFIX],
};

/** Timeout and memory of each function (the local runtime uses the same timeouts). */
export interface FunctionSettings {
  timeoutSeconds: number;
  memoryMiB: number;
}

export const FUNCTION_SETTINGS: Readonly<Record<FunctionKey, FunctionSettings>> = {
  // GitHub gives up after 10 s; the webhook answers in milliseconds.
  webhook: { timeoutSeconds: 10, memoryMiB: 256 },
  // Fetch, extract, kustomize, validate, then the synchronous plan call.
  render: { timeoutSeconds: 300, memoryMiB: 1769 },
  plan: { timeoutSeconds: 120, memoryMiB: 1024 },
  lock: { timeoutSeconds: 10, memoryMiB: 256 },
  // One bounded tick: a wave's applies, or a wave's health reads.
  'apply-wave': { timeoutSeconds: 120, memoryMiB: 1024 },
  'check-wave': { timeoutSeconds: 60, memoryMiB: 512 },
  record: { timeoutSeconds: 30, memoryMiB: 256 },
  janitor: { timeoutSeconds: 30, memoryMiB: 256 },
  // Shorter than the 3-minute schedule, so two sweeps never overlap.
  drift: { timeoutSeconds: 150, memoryMiB: 1024 },
  api: { timeoutSeconds: 29, memoryMiB: 512 },
};
