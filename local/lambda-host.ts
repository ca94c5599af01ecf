/**
 * Runs the stack's Lambda handlers in this process the way Lambda would: each function is imported
 * from its entry file (`functions/<key>.ts`, the one the stack bundles), given a Lambda context,
 * and held to its configured timeout. A timeout surfaces as `Lambda.Unknown`, the error Step
 * Functions sees when a function times out, so Retry and Catch behave as they will in AWS.
 */
import { randomUUID } from 'node:crypto';
import { FUNCTION_KEYS, FUNCTION_SETTINGS, functionEntry, type FunctionKey } from '../shared/lambda/functions.ts';

export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;
export type LocalFunctions = Record<FunctionKey, (event: unknown) => Promise<unknown>>;

export interface LambdaHostOptions {
  /** Multiplies every function timeout (tests shorten them to provoke timeouts). */
  timeoutScale?: number;
  /** Timeouts in milliseconds for some functions, instead of their configured (scaled) timeout. */
  timeoutsMs?: Partial<Record<FunctionKey, number>>;
  /** Replaces handlers (fault injection in tests), keyed by function. */
  overrides?: Partial<Record<FunctionKey, LambdaHandler>>;
  projectRoot: string;
}

export class LambdaTimeoutError extends Error {
  override name = 'Lambda.Unknown';
}

/** Imports every function's handler (after the environment is set: handlers read it lazily or at load). */
export async function loadFunctions(options: LambdaHostOptions): Promise<LocalFunctions> {
  const entries = await Promise.all(FUNCTION_KEYS.map(async (key) => {
    const handler = options.overrides?.[key] ?? ((await import(`${options.projectRoot}/${functionEntry(key)}`)) as { handler: LambdaHandler }).handler;
    const timeoutMs = options.timeoutsMs?.[key] ?? FUNCTION_SETTINGS[key].timeoutSeconds * 1000 * (options.timeoutScale ?? 1);
    return [key, invokeWithTimeout(key, handler, timeoutMs)] as const;
  }));
  return Object.fromEntries(entries) as LocalFunctions;
}

function invokeWithTimeout(key: FunctionKey, handler: LambdaHandler, timeoutMs: number) {
  return async (event: unknown): Promise<unknown> => {
    const deadline = Date.now() + timeoutMs;
    const context = {
      functionName: `gitwave-${key}`,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:gitwave-${key}`,
      memoryLimitInMB: String(FUNCTION_SETTINGS[key].memoryMiB),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/gitwave-${key}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeoutError(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)), timeoutMs);
    });
    try {
      return await Promise.race([handler(event, context), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
