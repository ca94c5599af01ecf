/**
 * The self-signed certificate of `--tls`, made at start with the `openssl` command (node:crypto cannot
 * write X.509 certificates). The certificate is its own CA, so a kubeconfig can trust it directly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';

export interface Certificate {
  cert: string;
  key: string;
}

export function selfSignedCertificate(host: string): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'gitwave-sim-tls-'));
  const names = ['IP:127.0.0.1', 'IP:::1', 'DNS:localhost'];
  const extra = isIP(host) ? `IP:${host}` : `DNS:${host}`;
  if (!names.includes(extra) && host !== '0.0.0.0' && host !== '::') names.push(extra);
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '365',
      '-subj', '/CN=gitwave-sim', '-addext', `subjectAltName=${names.join(',')}`,
      '-addext', 'basicConstraints=critical,CA:TRUE',
    ], { stdio: 'pipe' });
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'failed to make a TLS certificate: --tls needs the openssl command on PATH' : `failed to make a TLS certificate with openssl: ${(error as Error).message}`, { cause: error });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
