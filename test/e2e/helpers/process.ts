/**
 * `gitwave start` as a child process in its own process group (as a newcomer runs `npm start`), for
 * the tests that stop it with a signal, or kill it, and start it again on the same home.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { BIN, REPO } from '../../cli/helpers.ts';
import { waitFor } from './runtime.ts';

export interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startGitwave(home: string): Started {
  let stdout = '';
  let stderr = '';
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--rollout-delay', '0.1', '--wait-scale', '0.02'], {
    cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), GITWAVE_HOME: home },
  });
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** True while any process of the group started by `pid` is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopGitwave(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  const code = await started.exited;
  await waitFor('every process of gitwave start to end', async () => !groupAlive(started.child.pid!), 30_000);
  return code;
}

