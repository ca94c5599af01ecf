/**
 * The Kubernetes API server simulator: `startSimulator(options)` starts it on loopback (port 0 =
 * ephemeral), optionally over TLS and with a kubeconfig written for clients. The real kubectl works
 * against it; so do our own client, the local runtime, the tests and the benchmarks.
 */
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { AuditLog, type AuditEntry } from './audit.ts';
import { bootstrap } from './bootstrap.ts';
import { Cluster } from './cluster.ts';
import { startControllers } from './controllers/index.ts';
import { FaultInjector, type Faults } from './faults.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { createHandler } from './server.ts';
import { selfSignedCertificate } from './tls.ts';
import { WatchHub } from './watch.ts';
import { Writer } from './write.ts';

export type { AuditEntry } from './audit.ts';
export type { Faults } from './faults.ts';

export interface SimulatorOptions {
  /** 0 = ephemeral (default 6443). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS with a self-signed certificate made at start (needs `openssl`). */
  tls?: boolean;
  /** Folder of OpenAPI v3 documents (`api/v1.json.gz`, `apis/<group>/<version>.json.gz`). */
  schemasDir?: string;
  /**
   * The Kubernetes `generated.proto` files (protobuf bodies from kubectl's typed commands). Default:
   * `$GITWAVE_PROTO`, else `k8s-proto/<version>` beside the schemas' `k8s-openapi/<version>`.
   */
  protoDir?: string;
  /** How many Events each namespace keeps, the newest (default 500). */
  eventsPerNamespace?: number;
  /** Seconds before workloads, LoadBalancers, Ingresses and PVCs are ready (default 1). */
  rolloutDelaySeconds?: number;
  /** Seconds before a CRD is Established and its kind served (default 0.5). */
  crdDelaySeconds?: number;
  /** Where to write a kubeconfig pointing at the simulator. */
  kubeconfigPath?: string;
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
}

export interface RunningSimulator {
  url: string;
  port: number;
  kubeconfigPath?: string;
  /** PEM of the self-signed certificate when started with `tls`. */
  caCertificate?: string;
  stop(): Promise<void>;
  audit(): AuditEntry[];
  setFaults(f: Faults): void;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host ?? '127.0.0.1';
  const cluster = new Cluster({
    rolloutDelaySeconds: options.rolloutDelaySeconds ?? 1,
    crdDelaySeconds: options.crdDelaySeconds ?? 0.5,
    schemasDir: options.schemasDir,
    protoDir: options.protoDir ?? defaultProtoDir(options.schemasDir),
    eventsPerNamespace: options.eventsPerNamespace,
  });
  if (!cluster.openapi.hasSchemas) {
    log(`kube-sim: no OpenAPI schemas${options.schemasDir ? ` in ${options.schemasDir}` : ''}: unknown fields, types and required fields of built-in kinds are not validated, and lists without a built-in merge key are atomic (set --schemas or GITWAVE_SCHEMAS)`);
  }
  const writer = new Writer(cluster);
  bootstrap(cluster, writer);
  const controllers = startControllers(cluster, writer, log);
  const watches = new WatchHub(cluster);
  const audit = new AuditLog();
  const faults = new FaultInjector();
  const cert = options.tls ? selfSignedCertificate(host) : undefined;
  let address = '';
  const handler = createHandler({ cluster, writer, watches, audit, faults, address: () => address });
  const server: Server = cert ? createHttpsServer({ cert: cert.cert, key: cert.key }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, options.port ?? 6443, host);
  address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = `${cert ? 'https' : 'http'}://${address}`;
  if (options.kubeconfigPath) writeKubeconfig(options.kubeconfigPath, url, cert?.cert);
  return {
    url,
    port,
    kubeconfigPath: options.kubeconfigPath,
    caCertificate: cert?.cert,
    audit: () => audit.all(),
    setFaults: (f) => faults.set(f),
    stop: async () => {
      controllers.stop();
      watches.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The shared data laid beside the repository (as CI lays it), where `npm start` finds it. */
const SHARED_PROTO = resolve(import.meta.dirname, '../../../shared/k8s-proto/v1.32');

/**
 * `$GITWAVE_PROTO`; else the shared data's layout, `…/k8s-proto/v1.32` beside the schemas'
 * `…/k8s-openapi/v1.32`; else `../shared/k8s-proto/v1.32` beside the repository.
 */
function defaultProtoDir(schemasDir: string | undefined): string | undefined {
  if (process.env.GITWAVE_PROTO) return process.env.GITWAVE_PROTO;
  const sibling = schemasDir && join(dirname(dirname(resolve(schemasDir))), 'k8s-proto', basename(resolve(schemasDir)));
  if (sibling && existsSync(sibling)) return sibling;
  return existsSync(SHARED_PROTO) ? SHARED_PROTO : undefined;
}

/** Starts listening and gives the port bound (the one asked for, or the ephemeral one for 0). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
