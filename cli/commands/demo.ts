/**
 * `gitwave demo push`: commits to the local runtime's sample repository and sends GitHub's push
 * webhook for it, signed with the runtime's webhook secret — what GitHub would do after a
 * `git push`. With uncommitted edits in the sample repository it commits those; otherwise it bumps
 * a release annotation on the REST API's pod template, so the push rolls something out.
 */
import { exampleText } from '../api-options.ts';
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readLocalInfo } from '../endpoint.ts';
import { CliError } from '../errors.ts';
import { signBody } from '../../shared/webhook/signature.ts';
import { git } from '../../local/sample-repo/create.ts';

const RELEASE_FILE = 'api/orders/service/base/rest.yaml';
const RELEASE_ANNOTATION = 'demo.gitwave.dev/release';

export function register(program: Command): void {
  const demo = program.command('demo').description('helpers for trying gitwave on the local runtime')
    .addHelpText('after', exampleText('gitwave demo push'));
  demo
    .command('push')
    .description('commit to the sample repository and send the signed push webhook')
    .addHelpText('after', exampleText("gitwave demo push -m 'new release'", 'gitwave demo push --print-curl'))
    .option('-m, --message <text>', 'commit message', 'demo: new release')
    .option('--print-curl', 'print the curl command that sends the push for the current commit, and send nothing')
    .action(async (opts: { message: string; printCurl?: boolean }) => {
      const info = readLocalInfo();
      if (opts.printCurl) {
        // As its name says: print only. No commit, no delivery; the command pushes the current HEAD.
        const head = git(info.sampleRepo, 'rev-parse', 'HEAD');
        const { headers, body } = signedPush(info, head, head, opts.message);
        process.stdout.write(curlFor(info.webhook, headers, body));
        return;
      }
      const before = git(info.sampleRepo, 'rev-parse', 'HEAD');
      if (git(info.sampleRepo, 'status', '--porcelain') === '') bumpRelease(info.sampleRepo);
      git(info.sampleRepo, 'add', '--all');
      git(info.sampleRepo, 'commit', '--quiet', '-m', opts.message);
      const after = git(info.sampleRepo, 'rev-parse', 'HEAD');
      const { headers, body } = signedPush(info, before, after, opts.message);
      const res = await fetch(info.webhook, { method: 'POST', headers, body });
      process.stdout.write(`committed ${after.slice(0, 7)} to ${info.sampleBranch}; webhook answered ${res.status} ${await res.text()}\n`);
      if (res.status >= 400) throw new CliError(`the webhook refused the push (${res.status})`);
    });
}

/** GitHub's push for `after`, signed with the runtime's webhook secret, with a fresh delivery id. */
function signedPush(info: ReturnType<typeof readLocalInfo>, before: string, after: string, message: string) {
  const body = JSON.stringify(pushPayload(info.sampleRepoUrl, info.sampleBranch, before, after, message));
  const headers = {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': signBody(info.webhookSecret, body),
  };
  return { headers, body };
}

/** Sets the release annotation on the REST Deployment's pod template to one more than before. */
function bumpRelease(repo: string): void {
  const file = join(repo, RELEASE_FILE);
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const doc of docs) {
    if (doc.get('kind') !== 'Deployment') continue;
    const path = ['spec', 'template', 'metadata', 'annotations', RELEASE_ANNOTATION];
    doc.setIn(path, String(Number(doc.getIn(path) ?? 0) + 1));
  }
  writeFileSync(file, joinDocuments(docs));
}

/** A multi-document YAML text again: each document after the first behind exactly one `---`. */
export function joinDocuments(docs: Array<{ toString(): string }>): string {
  // A parsed document that had a `---` marker prints it itself; adding another would make an empty document.
  return docs.map((doc, i) => {
    const text = doc.toString();
    return i === 0 || text.startsWith('---') ? text : `---\n${text}`;
  }).join('');
}

/** The fields of GitHub's push payload that a receiver reads. */
export function pushPayload(repoUrl: string, branch: string, before: string, after: string, message: string) {
  const fullName = new URL(repoUrl).pathname.replace(/^\//, '').replace(/\.git$/, '');
  const [owner, name] = fullName.split('/');
  return {
    ref: `refs/heads/${branch}`,
    before,
    after,
    created: false,
    deleted: false,
    forced: false,
    repository: {
      name,
      full_name: fullName,
      owner: { login: owner, name: owner },
      clone_url: repoUrl,
      html_url: `https://github.com/${fullName}`,
      ssh_url: `git@github.com:${fullName}.git`,
      default_branch: branch,
    },
    head_commit: { id: after, message, timestamp: new Date().toISOString() },
    pusher: { name: 'gitwave-demo', email: 'demo@gitwave.invalid' },
    sender: { login: 'gitwave-demo' },
  };
}

function curlFor(url: string, headers: Record<string, string>, body: string): string {
  const h = Object.entries(headers).map(([k, v]) => `  -H '${k}: ${v}' \\\n`).join('');
  return `curl -X POST '${url}' \\\n${h}  --data-binary '${body.replace(/'/g, "'\\''")}'\n`;
}
