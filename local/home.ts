/**
 * The local runtime's state folder, `$GITWAVE_HOME` (default `.gitwave/` at the project root): the
 * DynamoDB and queue data, the sample repository, the kubeconfig, the webhook secret (0600) and
 * `local.json`, the facts a person or the CLI needs once everything is up (0600, written atomically).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalHome {
  root: string;
  path(...parts: string[]): string;
}

export function openHome(root: string): LocalHome {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return { root, path: (...parts) => join(root, ...parts) };
}

/** Writes a file readable by its owner only, via a temporary file and a rename (never half-written). */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** The webhook secret: made once, kept across restarts in a 0600 file. */
export function webhookSecret(home: LocalHome): string {
  const file = home.path('webhook-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('hex');
  writePrivateFile(file, `${secret}\n`);
  return secret;
}

export function removeLocalInfo(home: LocalHome): void {
  rmSync(home.path('local.json'), { force: true });
}
