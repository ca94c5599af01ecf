/**
 * The embedded local runtime: the whole service on this machine, on loopback, with real local
 * servers behind the AWS wire protocols (DESIGN.md, "Running it on one machine"). The same handlers
 * and the very state machine definition that `cdk synth` produces run here; only the servers differ.
 *
 * Start order: state folder → DynamoDB (AWS's DynamoDB Local, a JVM) → SQS/S3/SNS (fauxqs) → Secrets Manager, GitHub,
 * Lambda Invoke and Step Functions stand-ins → Kubernetes (simulator or a kubeconfig) → handlers →
 * gateway, queue poller and drift schedule → sample repository and Applications → `local.json`.
 * Stop runs the same list backwards.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startFauxqs, type MessageSpyReader } from 'fauxqs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { ENV } from '../shared/config/env.ts';
import { DRIFT_SCHEDULE_MINUTES, HTTP_ROUTES, REQUEST_QUEUE } from '../shared/config/resources.ts';
import { bindTaskHandlers, localStateMachineArn, scaledWaits, DEFAULT_LOCAL_NAMES, type AslDefinition, type LocalHandler } from '../infra/local-definition.ts';
import { cachedStateMachineDefinitions, scaledRetries } from './definition-cache.ts';
import { startSimulator, type RunningSimulator } from './kube-sim/index.ts';
import { startGitHubStub } from './github-stub/index.ts';
import { startSecretsManager } from './stubs/secrets-manager.ts';
import { startLambdaInvoke } from './stubs/lambda.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from './stubs/step-functions.ts';
import { startGateway } from './gateway.ts';
import { dashboardFallback } from './dashboard.ts';
import { startEventSource } from './event-source.ts';
import { loadFunctions, type LambdaHandler, type LocalFunctions } from './lambda-host.ts';
import { createQueuesAndBucket, createTable, LOCAL_CREDENTIALS, LOCAL_NAMES } from './aws-resources.ts';
import { openHome, removeLocalInfo, webhookSecret, writePrivateFile, type LocalHome } from './home.ts';
import { ensureSampleRepo, SAMPLE_BRANCH, SAMPLE_REPO_URL } from './sample-repo/create.ts';
import { registerLocalCluster, registerSampleApplications } from './register.ts';
import type { FunctionKey } from '../shared/lambda/functions.ts';

export interface LocalRuntimeOptions {
  home: string;
  /** Gateway port on 127.0.0.1 (default 8080; 0 = ephemeral). */
  port?: number;
  /** A real cluster instead of the simulator. */
  kubeconfig?: string;
  context?: string;
  /** Simulator settings (seconds). */
  rolloutDelaySeconds?: number;
  /** Scales every Wait state and Retry interval of the state machine (1 = as deployed). */
  waitScale?: number;
  /** Drift sweep interval; default the stack's schedule; 0 turns the schedule off (tests sweep by hand). */
  driftIntervalMs?: number;
  /** Scales function timeouts (tests provoke timeouts with small values). */
  timeoutScale?: number;
  /**
   * Renders run at once (default 4): Lambda runs one per active message group of the FIFO queue; locally
   * a few overlap the kustomize process and the store's round trips without starving the simulator.
   */
  renderConcurrency?: number;
  /** Runs one drift sweep once everything is up (default true), so new Applications deploy without a push. */
  sweepAtStart?: boolean;
  /**
   * An already running DynamoDB Local and the access key of the database to use (the tests share one
   * emulator per run); default: start one persisting under the home, stopped with the runtime.
   */
  dynamodb?: { endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Timeouts (milliseconds) of single functions, e.g. a short apply-wave timeout to kill a task mid-wave. */
  functionTimeoutsMs?: Partial<Record<FunctionKey, number>>;
  /** Replaces handlers, for fault injection in tests. */
  handlerOverrides?: Partial<Record<FunctionKey, LambdaHandler>>;
  log?: (line: string) => void;
}

export interface LocalInfo {
  api: string;
  webhook: string;
  webhookSecret: string;
  dashboard: string;
  kubeconfig: string;
  sampleRepo: string;
  sampleRepoUrl: string;
  sampleBranch: string;
}

export interface RunningLocalRuntime {
  info: LocalInfo;
  home: LocalHome;
  functions: LocalFunctions;
  stepFunctions: LocalStepFunctions;
  simulator?: RunningSimulator;
  /** What went through the queues (fauxqs' message spy: published, consumed, dlq). */
  queueSpy: MessageSpyReader;
  /** Runs the drift sweep now (what the schedule does). */
  sweep(): Promise<unknown>;
  /** Resolves when the request queue is empty and no execution runs. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const PROJECT_ROOT = resolve(new URL('..', import.meta.url).pathname);
const STATE_MACHINE_ARN = localStateMachineArn('sync');
const WRITER_STATE_MACHINE_ARN = localStateMachineArn('writer');

/**
 * `--wait-scale` for the phase loops' Wait, whose length is the task's answer (`nextCheckSeconds`,
 * whole seconds, as SecondsPath requires): the wave task's answer is held back by the scaled wait
 * and then says 0, so the loop keeps its shape and pace, scaled.
 */
function scaledNextChecks(functions: LocalFunctions, scale: number): Partial<Record<FunctionKey, LocalHandler>> {
  const scaled = (key: 'apply-wave' | 'check-wave'): LocalHandler => async (event: unknown) => {
    const answer = await functions[key](event) as { nextCheckSeconds?: number } | undefined;
    if (typeof answer?.nextCheckSeconds !== 'number' || answer.nextCheckSeconds === 0) return answer;
    await new Promise((resolve) => setTimeout(resolve, answer.nextCheckSeconds! * 1000 * scale));
    return { ...answer, nextCheckSeconds: 0 };
  };
  return { 'apply-wave': scaled('apply-wave'), 'check-wave': scaled('check-wave') };
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<RunningLocalRuntime> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => { for (const stop of stops.reverse()) await stop().catch((e) => log(`stop: ${(e as Error).message}`)); };
  try {
    const home = openHome(options.home);
    removeLocalInfo(home);
    const sample = ensureSampleRepo(home.path('sample-repo'));
    const secret = webhookSecret(home);

    const dynamo = await dynamoDbFor(options, home);
    stops.push(() => dynamo.stop());
    await createTable(dynamo.endpoint, dynamo.credentials);
    const fauxqs = await startFauxqs({ port: 0, logger: false, dataDir: home.path('fauxqs'), messageSpies: { bufferSize: 20_000 } });
    stops.push(() => fauxqs.stop());
    const queues = createQueuesAndBucket(fauxqs);
    const secrets = await startSecretsManager([{ name: 'gitwave/webhook', value: secret }, { name: 'gitwave/git-tokens', value: '{}' }]);
    stops.push(() => secrets.stop());
    const github = await startGitHubStub({ repos: { [repoPathOf(SAMPLE_REPO_URL)]: home.path('sample-repo') } });
    stops.push(() => github.stop());

    const kube = await startKube(options, home, log);
    if (kube.simulator) stops.push(() => kube.simulator!.stop());

    const lambdaInvoke = await startLambdaInvoke(new Proxy({}, { get: (_, name) => functionsByName()[String(name)] }) as never);
    stops.push(() => lambdaInvoke.stop());
    setEnvironment({ dynamo: dynamo.endpoint, credentials: dynamo.credentials, fauxqs: fauxqs.address, secrets: secrets.endpoint, lambda: lambdaInvoke.endpoint, github: github.apiUrl, queues, secretArn: secrets.arnOf('gitwave/webhook'), tokenArn: secrets.arnOf('gitwave/git-tokens') });

    const functions = await loadFunctions({ projectRoot: PROJECT_ROOT, timeoutScale: options.timeoutScale, timeoutsMs: options.functionTimeoutsMs, overrides: options.handlerOverrides });
    const functionsByName = () => Object.fromEntries(Object.entries(functions).map(([k, fn]) => [`gitwave-${k}`, (event: unknown) => fn(event)]));

    const definitions = await cachedStateMachineDefinitions(PROJECT_ROOT);
    const tasks = options.waitScale === undefined ? functions : { ...functions, ...scaledNextChecks(functions, options.waitScale) };
    const machine = (arn: string, definition: AslDefinition) => ({
      stateMachineArn: arn, definition,
      taskHandlers: bindTaskHandlers(definition, tasks, (input: Parameters<LocalStepFunctions['runChild']>[0]) => stepFunctions.runChild(input)),
      waitOverrides: options.waitScale === undefined ? undefined : scaledWaits(definition, options.waitScale),
      retryOverrides: options.waitScale === undefined ? undefined : scaledRetries(definition, options.waitScale),
    });
    // The executions a restart cut short are reported while the stand-in starts, before its endpoint is
    // known: the janitor (which starts a writer for what is pending) hears of them once it is. Called
    // earlier, its Step Functions client went to AWS's own endpoint and the cut sync was never run again.
    let endpointKnown = false;
    const heardBeforeStart: Array<() => Promise<void>> = [];
    const stepFunctions: LocalStepFunctions = await startLocalStepFunctions({
      ...machine(STATE_MACHINE_ARN, definitions.sync),
      more: [machine(WRITER_STATE_MACHINE_ARN, definitions.writer)],
      persistPath: home.path('executions.json'),
      reportSucceeded: [WRITER_STATE_MACHINE_ARN],
      onStatusChange: async (detail) => {
        const tellJanitor = async () => void (await functions.janitor(eventBridgeEvent(detail)));
        if (endpointKnown) return tellJanitor();
        heardBeforeStart.push(tellJanitor);
      },
    });
    process.env.AWS_ENDPOINT_URL_SFN = stepFunctions.endpoint;
    endpointKnown = true;
    for (const tellJanitor of heardBeforeStart.splice(0)) await tellJanitor().catch((e) => log(`janitor: ${(e as Error).message}`));
    stops.push(() => stepFunctions.stop());

    await registerLocalCluster(kube.kubeconfig, kube.context);
    await registerSampleApplications(home.path('sample-repo'));

    const gateway = await startGateway({
      port: options.port ?? 8080,
      routes: HTTP_ROUTES.map((r) => ({ method: r.method, path: r.path, handler: (event) => functions[r.function as FunctionKey](event) })),
      fallback: await dashboardFallback(),
    });
    stops.push(() => gateway.stop());
    const sqs = new SQSClient({ endpoint: fauxqs.address, region: LOCAL_NAMES.region, credentials: LOCAL_CREDENTIALS });
    const poller = startEventSource({
      sqs, queueUrl: queues.queueUrl, queueArn: queues.queueArn, batchSize: REQUEST_QUEUE.batchSize, waitTimeSeconds: 1,
      concurrency: options.renderConcurrency ?? 4,
      handler: (event) => functions.render(event) as never,
      onError: (error) => log(`render: ${(error as Error).message}`),
    });
    stops.push(() => poller.stop());
    const sweep = () => functions.drift({ trigger: 'schedule' });
    const drift = startSchedule(sweep, options.driftIntervalMs ?? DRIFT_SCHEDULE_MINUTES * 60_000, log);
    stops.push(async () => drift.stop());

    const info: LocalInfo = {
      api: gateway.url,
      webhook: `${gateway.url}/webhooks/github`,
      webhookSecret: secret,
      dashboard: `${gateway.url}/`,
      kubeconfig: kube.kubeconfig,
      sampleRepo: home.path('sample-repo'),
      sampleRepoUrl: SAMPLE_REPO_URL,
      sampleBranch: SAMPLE_BRANCH,
    };
    writePrivateFile(home.path('local.json'), `${JSON.stringify(info, null, 2)}\n`);
    stops.push(async () => removeLocalInfo(home));
    if (sample.created) log(`created the sample repository at ${info.sampleRepo}`);
    if (options.sweepAtStart ?? true) {
      // What the schedule would do on its first tick: deploys the sample (never synced) without a push.
      const first = sweep().catch((e) => log(`drift: ${(e as Error).message}`));
      stops.push(() => first);
    }
    return {
      info, home, functions, stepFunctions, simulator: kube.simulator, queueSpy: fauxqs.spy, sweep,
      settle: async () => { await poller.idle(); await stepFunctions.drain(); },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function startKube(options: LocalRuntimeOptions, home: LocalHome, log: (line: string) => void) {
  if (options.kubeconfig) return { kubeconfig: resolve(options.kubeconfig), context: options.context, simulator: undefined };
  const kubeconfig = home.path('kubeconfig');
  const simulator = await startSimulator({
    port: 0, kubeconfigPath: kubeconfig, schemasDir: process.env.GITWAVE_SCHEMAS || undefined,
    rolloutDelaySeconds: options.rolloutDelaySeconds ?? 2, log,
  });
  return { kubeconfig, context: undefined, simulator };
}

/**
 * The runtime's own DynamoDB Local keeps one database for every access key (-sharedDb), so the AWS CLI
 * or a script pointed at it sees the same table whatever credentials it holds.
 */
async function dynamoDbFor(options: LocalRuntimeOptions, home: LocalHome) {
  if (options.dynamodb) return { ...options.dynamodb, stop: async () => undefined };
  const folder = home.path('dynamodb-local');
  mkdirSync(folder, { recursive: true });
  const ddb = await startDynamoDbLocal({ dbPath: folder, sharedDb: true });
  return { endpoint: ddb.endpoint, credentials: LOCAL_CREDENTIALS, stop: ddb.stop };
}

function setEnvironment(local: {
  dynamo: string; credentials: { accessKeyId: string; secretAccessKey: string }; fauxqs: string; secrets: string; lambda: string; github: string;
  queues: { queueUrl: string; topicArn: string }; secretArn: string; tokenArn: string;
}): void {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_NAMES.region,
    AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamo,
    AWS_ENDPOINT_URL_SQS: local.fauxqs,
    AWS_ENDPOINT_URL_S3: local.fauxqs,
    AWS_ENDPOINT_URL_SNS: local.fauxqs,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: local.secrets,
    AWS_ENDPOINT_URL_LAMBDA: local.lambda,
    [ENV.TABLE_NAME]: LOCAL_NAMES.table,
    [ENV.BUCKET_NAME]: LOCAL_NAMES.bucket,
    [ENV.QUEUE_URL]: local.queues.queueUrl,
    [ENV.STATE_MACHINE_ARN]: STATE_MACHINE_ARN,
    [ENV.WRITER_STATE_MACHINE_ARN]: WRITER_STATE_MACHINE_ARN,
    [ENV.WEBHOOK_SECRET_ARN]: local.secretArn,
    [ENV.GIT_TOKEN_SECRET_ARN]: local.tokenArn,
    [ENV.TOPIC_ARN]: local.queues.topicArn,
    [ENV.PLAN_FUNCTION_NAME]: 'gitwave-plan',
    [ENV.POWERTOOLS_TRACE_ENABLED]: 'false',
    [ENV.POWERTOOLS_METRICS_DISABLED]: 'true',
    [ENV.POWERTOOLS_LOG_LEVEL]: process.env[ENV.POWERTOOLS_LOG_LEVEL] ?? 'WARN',
    GITHUB_API_URL: local.github,
  });
}

function eventBridgeEvent(detail: { executionArn: string; stateMachineArn: string; status: string; input: string }) {
  return {
    version: '0', id: crypto.randomUUID(), 'detail-type': 'Step Functions Execution Status Change', source: 'aws.states',
    account: DEFAULT_LOCAL_NAMES.accountId, time: new Date().toISOString(), region: DEFAULT_LOCAL_NAMES.region,
    resources: [detail.executionArn], detail: { ...detail, name: detail.executionArn.split(':').at(-1) },
  };
}

function startSchedule(run: () => Promise<unknown>, intervalMs: number, log: (line: string) => void) {
  if (intervalMs <= 0) return { stop: () => undefined };
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // like the stack: a sweep shorter than the schedule never overlaps the next
    running = true;
    run().catch((e) => log(`drift: ${(e as Error).message}`)).finally(() => { running = false; });
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}

function repoPathOf(url: string): string {
  return new URL(url).pathname.replace(/^\//, '').replace(/\.git$/, '');
}

export const LOCAL_STATE_MACHINE_ARN = STATE_MACHINE_ARN;
export const LOCAL_WRITER_STATE_MACHINE_ARN = WRITER_STATE_MACHINE_ARN;
