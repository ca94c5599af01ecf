/**
 * Running the real `gitwave` command (`node cli/bin.js …`) as a user would, capturing exit code,
 * stdout and stderr; and writing the small input files the commands take.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeTree, removeTree } from '../render/helpers.ts';
import { CONFORMANCE, K8S_SCHEMAS } from '../helpers/shared-data.ts';

export const REPO = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO, 'cli/bin.js');
export const EXAMPLES = join(CONFORMANCE, 'argocd-example-apps');
export const SCHEMAS = K8S_SCHEMAS;

/** Temp folders made by the helpers below, removed by removeWorkingTrees. */
const trees: string[] = [];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gitwave <args>` in `cwd` (default: the repository) with `env` added to a clean environment. */
export function gitwave(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...options.env };
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Writes `text` to a new temp file and returns its path (removed by removeWorkingTrees). */
export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitwave-cli-'));
  trees.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** An Application deploying to `namespace` (default `default`), with extra spec YAML lines. */
export function applicationYaml(options: { name?: string; namespace?: string; project?: string; source?: string; syncPolicy?: string } = {}): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${options.name ?? 'guestbook'}
  namespace: argocd
spec:
  project: ${options.project ?? 'default'}
  source:
    repoURL: https://github.com/org/manifests
    targetRevision: HEAD
    path: .
${options.source ?? ''}  destination:
    server: https://kubernetes.default.svc
    namespace: ${options.namespace ?? 'default'}
${options.syncPolicy ?? ''}`;
}

/** A working tree with a `.git` folder (its own Git top level); removed by removeWorkingTrees. */
export function workingTree(files: Record<string, string>): string {
  const root = makeTree(files);
  mkdirSync(join(root, '.git'));
  trees.push(root);
  return root;
}

/** Removes every working tree and temp file made so far (call it in `after`). */
export function removeWorkingTrees(): void {
  trees.splice(0).forEach(removeTree);
}
