import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { eventually, SCHEMAS, startTestSim } from './helpers.ts';

function httpsJson(url: string, ca: string): Promise<any> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

describe('gitwave sim and TLS', () => {
  it('serves HTTPS with a self-signed certificate that its kubeconfig trusts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitwave-sim-tls-'));
    const sim = await startTestSim({ tls: true, kubeconfigPath: join(dir, 'kubeconfig') });
    try {
      assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const config = parse(readFileSync(join(dir, 'kubeconfig'), 'utf8'));
      const ca = Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
      assert.equal(ca, sim.caCertificate);
      assert.equal(config.clusters[0].cluster.server, sim.url);
      assert.equal((await httpsJson(`${sim.url}/version`, ca)).minor, '32');
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs from the command line until interrupted, and refuses a bad flag as a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitwave-sim-cli-'));
    const child = spawn(process.execPath, ['cli/bin.js', 'sim', '--port', '0', '--kubeconfig', join(dir, 'kc'), '--schemas', SCHEMAS], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    try {
      const url = await eventually(async () => /listening on (http:\/\/\S+)/.exec(out)?.[1], 60_000);
      assert.equal(((await (await fetch(`${url}/version`)).json()) as { minor: string }).minor, '32');
      assert.match(readFileSync(join(dir, 'kc'), 'utf8'), new RegExp(`server: ${url}`));
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = spawn(process.execPath, ['cli/bin.js', 'sim', '--rollout-delay', 'soon'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    bad.stderr.on('data', (c) => (err += c));
    const code = await new Promise((resolve) => bad.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /invalid --rollout-delay "soon"/);
  });
});
