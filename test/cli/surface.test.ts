// The CLI's surface without a runtime: every command's help has an example; colour only on a
// terminal and never with NO_COLOR; the sentence that explains a wait or a failure; durations; and
// SigV4 signing checked by a loopback server that recomputes the signature with aws4.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';
import { Command } from 'commander';
import { registerCommands } from '../../cli/commands/index.ts';
import { colourEnabled, painter } from '../../cli/output.ts';
import { durationMs, follow } from '../../cli/watch.ts';
import type { OperationView } from '../../shared/api/operation-view.ts';
import { apiClient } from '../../cli/api-client.ts';
import { explain, waveStates } from '../../shared/api/operation-explain.ts';
import type { StepView } from '../../shared/api/operation-view.ts';
import type { OperationRecord } from '../../shared/store/ports.ts';

function leaves(cmd: Command, path: string[] = []): Array<{ path: string; cmd: Command }> {
  const here = [{ path: [...path, cmd.name()].join(' '), cmd }];
  return [...here, ...cmd.commands.flatMap((c) => leaves(c, [...path, cmd.name()]))];
}

function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => { text += s; }, writeErr: (s) => { text += s; } });
  cmd.outputHelp();
  return text;
}

const step = (over: Partial<StepView>): StepView => ({
  phase: 'Sync', wave: 0, hook: false, group: 'apps', kind: 'Deployment', namespace: 'orders-dev', name: 'x',
  state: 'Synced', health: { status: 'Healthy', message: null }, message: '', ...over,
});
const record = (phase: OperationRecord['phase'], message = ''): OperationRecord => ({
  syncId: 's', app: 'orders-dev', phase, message, revision: '6ccfe74aa1b2', source: { repoURL: 'r', path: '.', targetRevision: 'main' } as never,
  dryRun: false, prune: false, selective: false, fromGit: true, initiatedBy: {}, startedAt: '2026-12-05T10:00:00Z',
});

describe('gitwave CLI surface', () => {
  it('gives every command and subcommand an example in its help', async () => {
    const program = new Command('gitwave');
    await registerCommands(program);
    const commands = leaves(program).filter((c) => c.path !== 'gitwave');
    assert.ok(commands.length >= 25, `only ${commands.length} commands found`);
    const without = commands.filter((c) => !/Examples?:\n\s+\$ gitwave /.test(helpOf(c.cmd))).map((c) => c.path);
    assert.deepEqual(without, []);
  });

  it('colours only on a terminal, and never when NO_COLOR is set', () => {
    assert.equal(colourEnabled({ isTTY: true }, {}), true);
    assert.equal(colourEnabled({ isTTY: false }, {}), false);
    assert.equal(colourEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(painter(true)('Healthy'), '\u001b[32mHealthy\u001b[0m');
    assert.equal(painter(false)('Healthy'), 'Healthy');
  });

  it('says which wave waits for which resource, with its health message', () => {
    const steps = [
      step({ wave: 1, name: 'orders-grpc', health: { status: 'Progressing', message: 'Waiting for rollout to finish: 1 of 2 updated replicas are available...' } }),
      step({ wave: 1, kind: 'Service', group: '', name: 'orders-grpc', health: { status: 'Healthy', message: null } }),
      step({ wave: 2, name: 'orders-rest', state: 'Pending', health: null }),
    ];
    const waves = waveStates('Running', steps);
    assert.deepEqual(waves.map((w) => [w.wave, w.state, w.done, w.total]), [[1, 'Running', 1, 2], [2, 'Pending', 0, 1]]);
    assert.equal(explain(record('Running', 'waiting for healthy state of apps/Deployment/orders-grpc'), steps, waves),
      'wave 1 waits for Deployment/orders-grpc (Progressing: Waiting for rollout to finish: 1 of 2 updated replicas are available...)');
  });

  it('names the failed hook and its wave; a retry says so', () => {
    const steps = [step({ phase: 'PreSync', wave: 1, hook: true, group: 'batch', kind: 'Job', name: 'migrate', state: 'Failed', health: null, message: 'Job has reached the specified backoff limit' }), step({ wave: 0, state: 'Pending', health: null })];
    const waves = waveStates('Failed', steps);
    assert.deepEqual(waves.map((w) => w.state), ['Failed', 'Skipped']);
    assert.equal(explain(record('Failed'), steps, waves), 'Failed in PreSync wave 1: hook Job/migrate: Job has reached the specified backoff limit');
    assert.equal(explain(record('Running', 'Retrying attempt #2 at 10:01:00.'), steps, waveStates('Running', steps)), 'Retrying attempt #2 at 10:01:00.');
  });

  it('redraws in place on a terminal and ends with 0 once the operation is over and the app Synced and Healthy', async () => {
    const op = (phase: string, state: StepView['state']) => ({
      syncId: 's1', requestId: 'r1', phase, message: '', revision: '6ccfe74aa1b2', startedAt: '', finishedAt: null, dryRun: false, retryCount: 0,
      explanation: phase === 'Running' ? 'wave 0 waits for Deployment/x (Progressing)' : 'synced 6ccfe74: 1 resource, 0 hooks',
      waves: waveStates(phase, [step({ state })]), steps: [step({ state })],
    });
    const views: OperationView[] = [
      { app: 'web', sync: 'OutOfSync', health: 'Progressing', reconciledAt: 't0', conditions: [], operation: op('Running', 'Pending') },
      { app: 'web', sync: 'Synced', health: 'Healthy', reconciledAt: 't1', conditions: [], operation: op('Succeeded', 'Synced') },
    ];
    let calls = 0;
    const api = { get: async () => views[Math.min(calls++, views.length - 1)] } as never;
    const written: string[] = [];
    const outcome = await follow({ api, name: 'web', wanted: { sync: true, health: true, operation: true }, timeoutMs: 60_000, requestId: 'r1', pollMs: 0, out: { isTTY: true, write: (t: string) => written.push(t) } });
    assert.equal(outcome.code, 0);
    assert.equal(written.length, 2);
    const firstLines = written[0].split('\n').length - 1;
    assert.ok(written[1].startsWith(`\u001b[${firstLines}A\u001b[0J`), 'the second look redraws over the first');
    assert.match(written[1], /\u2588{20}\] 1\/1 waves/);
  });

  it('reads durations and refuses others as usage errors', () => {
    assert.equal(durationMs('300s'), 300_000);
    assert.equal(durationMs('5m'), 300_000);
    assert.equal(durationMs('90'), 90_000);
    assert.throws(() => durationMs('soon'), (e: any) => e.exitCode === 2 && /--timeout/.test(e.message));
  });

  it('signs requests with SigV4 (execute-api) from the credential chain, as a server recomputing it with aws4 accepts', async () => {
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-example' };
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken, AWS_PROFILE: '' });
    const seen: Array<{ ok: boolean; auth: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const auth = String(req.headers.authorization ?? '');
        // The verifier signs again exactly the headers the request says it signed.
        const signedNames = (/SignedHeaders=([^,]+)/.exec(auth)?.[1] ?? '').split(';');
        const headers = Object.fromEntries(signedNames.map((name) => [name, String(req.headers[name])]));
        const expected = aws4.sign({ method: req.method, host: String(req.headers.host), path: req.url, service: 'execute-api', region: 'eu-west-1', headers, signQuery: false }, credentials);
        // The payload hash is signed (x-amz-content-sha256); check it is the body's.
        const bodyHashed = createHash('sha256').update(body).digest('hex') === req.headers['x-amz-content-sha256'];
        const signature = (s: string) => /Signature=([0-9a-f]{64})/.exec(s)?.[1];
        const ok = bodyHashed && signature(auth) !== undefined && signature(auth) === signature(String((expected.headers as Record<string, string>).Authorization));
        seen.push({ ok, auth });
        res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? [{ name: 'web' }] : { message: 'signature mismatch' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const api = apiClient(url, { sign: true, region: 'eu-west-1' });
      assert.deepEqual(await api.get('/api/applications'), [{ name: 'web' }]);
      await api.post('/api/applications/web/sync', { prune: true });
      assert.deepEqual(seen.map((s) => s.ok), [true, true]);
      assert.match(seen[0].auth, /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request/);
      // Unsigned on loopback by default (the local runtime has no IAM).
      await assert.rejects(apiClient(url).get('/api/applications'), /403 signature mismatch/);
    } finally {
      server.close();
      process.env = saved;
    }
  });
});
