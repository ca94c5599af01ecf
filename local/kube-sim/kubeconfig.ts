/**
 * The kubeconfig the simulator writes for clients (kubectl, our own client): one cluster, one user with
 * a placeholder token (the simulator accepts any credentials), one current context, namespace default.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export const CONTEXT_NAME = 'gitwave-sim';

function kubeconfigText(url: string, caCertificate?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CONTEXT_NAME, cluster: { server: url, ...(caCertificate ? { 'certificate-authority-data': Buffer.from(caCertificate).toString('base64') } : {}) } }],
    users: [{ name: CONTEXT_NAME, user: { token: 'gitwave-sim-token' } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: 'default' } }],
    'current-context': CONTEXT_NAME,
    preferences: {},
  });
}

/** Writes the kubeconfig (mode 0600, as kubectl expects of files holding credentials). */
export function writeKubeconfig(path: string, url: string, caCertificate?: string): void {
  writeFileSync(path, kubeconfigText(url, caCertificate), { mode: 0o600 });
}
