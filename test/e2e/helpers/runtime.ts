/**
 * The end-to-end harness: one embedded local runtime per test file (temp home, gateway on port 0,
 * Wait states and retries scaled down, short simulator delays, drift schedule off so tests sweep by
 * hand), and the moves a person makes against it: commit to the sample repository, send GitHub's
 * signed push, call the API, read the simulator's audit log, run the real kubectl.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startLocalRuntime, type LocalRuntimeOptions, type RunningLocalRuntime } from '../../../local/runtime.ts';
import { testDynamo } from '../../helpers/dynamo.ts';
import { createStore, type AppStatus, type Store } from '../../../shared/store/index.ts';
import { ENV, requiredEnv } from '../../../shared/config/env.ts';
import { LOCAL_CLUSTER } from '../../../local/register.ts';
import { git } from '../../../local/sample-repo/create.ts';
import { pushPayload } from '../../../cli/commands/demo.ts';
import { signBody } from '../../../shared/webhook/signature.ts';
import type { AuditEntry } from '../../../local/kube-sim/index.ts';

export const APPS = ['orders-dev', 'orders-staging'] as const;
export const ROLLOUT_DELAY_SECONDS = 0.1;
export const WAIT_SCALE = 0.02;

export interface E2E {
  rt: RunningLocalRuntime;
  store: Store;
  logs: string[];
  repo: string;
  head(): string;
  /** Writes (string), deletes (null) or edits (function) files of the sample repository and commits them. */
  commit(files: Record<string, string | null | ((text: string) => string)>, message?: string): string;
  /** Sends GitHub's push webhook for `after` (default HEAD), signed unless told otherwise. */
  push(options?: PushOptions): Promise<{ status: number; body: any }>;
  api(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  /** The Application as `gitwave app get -o json` prints it (fails the test on a non-200). */
  app(name: string): Promise<any>;
  /** Resolves (with the stored status) once `name` recorded a finished operation on `revision` (any phase) and the cluster lock is free. */
  finished(name: string, revision: string, what?: string): Promise<AppStatus>;
  /** Writes the cluster took (no reads, no dry runs), in arrival order. */
  writes(filter?: (e: AuditEntry) => boolean): AuditEntry[];
  lockHeld(): Promise<boolean>;
  /** The real kubectl with the runtime's kubeconfig (asynchronous: the simulator answers in this process). */
  kubectl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface PushOptions {
  after?: string;
  before?: string;
  deliveryId?: string;
  /** A secret other than the runtime's (forged), or null for no signature header at all. */
  secret?: string | null;
  /** Replaces the signed body's bytes after signing (re-serialised payloads). */
  tamper?: (body: string) => string;
}

export async function startE2E(options: Partial<LocalRuntimeOptions> = {}): Promise<E2E> {
  const home = mkdtempSync(join(tmpdir(), 'gitwave-e2e-'));
  const logs: string[] = [];
  const dynamodb = await testDynamo();
  const rt = await startLocalRuntime({
    home, port: 0, dynamodb, waitScale: WAIT_SCALE, driftIntervalMs: 0, sweepAtStart: false, rolloutDelaySeconds: ROLLOUT_DELAY_SECONDS,
    log: (line) => void logs.push(line), ...options,
  });
  const store = createStore({ tableName: requiredEnv(ENV.TABLE_NAME), endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
  const repo = rt.info.sampleRepo;
  const e2e: E2E = {
    rt, store, logs, repo,
    head: () => git(repo, 'rev-parse', 'HEAD'),
    commit: (files, message = 'test change') => commitFiles(repo, files, message),
    push: (push = {}) => sendPush(rt, push, e2e.head()),
    api: (path, init) => callApi(rt.info.api, path, init),
    app: async (name) => {
      const res = await callApi(rt.info.api, `/api/applications/${name}`);
      if (res.status !== 200) throw new Error(`GET /api/applications/${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    finished: (name, revision, what) => waitFor(what ?? `${name} to finish a sync of ${revision.slice(0, 7)}`, async () => {
      const status = await store.getStatus(name);
      const refused = status?.conditions?.find((c) => c.message.includes(` at ${revision}:`));
      if (refused) throw new StopWaiting(`${name}: ${refused.type}: ${refused.message}`);
      const op = status?.operationState;
      if (!op || op.revision !== revision || op.phase === 'Running' || !op.finishedAt) return undefined;
      return (await e2e.lockHeld()) ? undefined : status;
    }),
    writes: (filter) => (rt.simulator?.audit() ?? []).filter((e) => isWrite(e) && (!filter || filter(e))),
    lockHeld: async () => (await store.read(LOCAL_CLUSTER))?.held ?? false,
    kubectl: async (...args) => (await promisify(execFile)('kubectl', ['--kubeconfig', rt.info.kubeconfig, ...args], { encoding: 'utf8' })).stdout,
    stop: async () => {
      await rt.stop();
      await dynamodb.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
  return e2e;
}

/** Polls `probe` until it returns something other than undefined/false; fails naming `what` after `timeoutMs` (a hang guard, not a speed check). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Thrown by a probe when waiting longer cannot help (the render was refused). */
export class StopWaiting extends Error {}

export function isWrite(e: AuditEntry): boolean {
  return !e.dryRun && ['create', 'update', 'patch', 'delete'].includes(e.verb) && e.code < 400 && e.resource !== '';
}

function commitFiles(repo: string, files: Record<string, string | null | ((text: string) => string)>, message: string): string {
  for (const [file, change] of Object.entries(files)) {
    const path = join(repo, file);
    if (change === null) git(repo, 'rm', '--quiet', '--', file);
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, typeof change === 'function' ? change(readFileSync(path, 'utf8')) : change);
      git(repo, 'add', '--', file);
    }
  }
  git(repo, 'commit', '--quiet', '--allow-empty', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

async function sendPush(rt: RunningLocalRuntime, options: PushOptions, head: string) {
  const after = options.after ?? head;
  const payload = pushPayload(rt.info.sampleRepoUrl, rt.info.sampleBranch, options.before ?? '0'.repeat(40), after, 'test push');
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': options.deliveryId ?? crypto.randomUUID(),
  };
  if (options.secret !== null) headers['x-hub-signature-256'] = signBody(options.secret ?? rt.info.webhookSecret, body);
  const res = await fetch(rt.info.webhook, { method: 'POST', headers, body: options.tamper ? options.tamper(body) : body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function callApi(base: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the failure message
  }
  return { status: res.status, body: body as any };
}
