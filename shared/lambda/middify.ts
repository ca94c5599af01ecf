/**
 * The one middy stack every gitwave handler is wrapped in: Powertools logger (Lambda context on
 * each line) and metrics (cold start, flushed after each call), and errors mapped once.
 *
 * No Powertools tracer: the functions run with Lambda's active tracing, so X-Ray already records
 * each invocation with its initialization and duration; the tracer would add only a handler
 * subsegment, and it brings the X-Ray SDK (with semver and cls-hooked, 125 kB of every bundle,
 * and async hooks on every call). Issue 9 asks for bundles of at most 1 MB that load fast. HTTP handlers turn errors
 * into answers: domain errors become 4xx with their own message, everything else a generic 500 whose
 * details are only logged. Other handlers (queue, state machine tasks, schedules) log the error and
 * rethrow it unchanged, because its name is what SQS partial failures and Step Functions' Retry and
 * Catch match on.
 */
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ENV, optionalEnv } from '../config/env.ts';
import { httpErrorAnswer } from './errors.ts';

const SERVICE = 'gitwave';

/** The Powertools utilities, built once per process (a Lambda cold start) and shared by handlers. */
export interface Powertools {
  logger: Logger;
  metrics: Metrics;
}

let shared: Powertools | undefined;

export function powertools(): Powertools {
  if (shared) return shared;
  const logger = new Logger({ serviceName: optionalEnv(ENV.POWERTOOLS_SERVICE_NAME, SERVICE) });
  shared = {
    logger,
    metrics: new Metrics({
      serviceName: optionalEnv(ENV.POWERTOOLS_SERVICE_NAME, SERVICE),
      namespace: optionalEnv(ENV.POWERTOOLS_METRICS_NAMESPACE, SERVICE),
      // Its own warnings (such as "no metrics to publish") go through the logger and its level.
      logger,
    }),
  };
  return shared;
}

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;
type Core<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * Wraps an API Gateway v2 handler: thrown domain errors answer 4xx with their message, others 500.
 * @example export const handler = middifyHttp(async (event) => ({ statusCode: 200, body: '{}' }));
 */
export function middifyHttp(core: Core<HttpEvent, HttpResult>): MiddyfiedHandler<HttpEvent, HttpResult> {
  return withPowertools(core).use(httpErrorMapper(powertools().logger));
}

/**
 * Wraps any other handler (SQS, Step Functions task, EventBridge): errors are logged and rethrown.
 * @example export const handler = middifyEvent(async (input: WaveTaskInput) => tick(input));
 */
export function middifyEvent<E, R>(core: Core<E, R>): MiddyfiedHandler<E, R> {
  return withPowertools(core).use(rethrowLogged(powertools().logger));
}

function withPowertools<E, R>(core: Core<E, R>): MiddyfiedHandler<E, R> {
  const { logger, metrics } = powertools();
  const handler = middy<E, R>().use(injectLambdaContext(logger, { resetKeys: true }));
  // With metrics switched off (tests, the local runtime) the middleware would only warn, on every
  // call, that there is nothing to publish.
  if (optionalEnv(ENV.POWERTOOLS_METRICS_DISABLED) !== 'true') {
    handler.use(logMetrics(metrics, { captureColdStartMetric: true, throwOnEmptyMetrics: false }));
  }
  return handler.handler((event: E, context: Context) => core(event, context));
}

/** Runs first on error (middy runs `onError` in reverse order), so the log line still has the context. */
function httpErrorMapper(logger: Logger): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'gitwaveHttpErrorMapper',
    onError: (request) => {
      const answer = httpErrorAnswer(request.error);
      if (answer.clientError) logger.warn('request refused', { statusCode: answer.statusCode, reason: answer.message });
      else logger.error('request failed', errorForLog(request.error));
      request.response = {
        statusCode: answer.statusCode,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: answer.message }),
      };
    },
  };
}

function rethrowLogged<E, R>(logger: Logger): MiddlewareObj<E, R> {
  return {
    name: 'gitwaveRethrowLogged',
    // Leaving `request.response` unset makes middy rethrow the original error.
    onError: (request) => {
      logger.error('invocation failed', errorForLog(request.error));
    },
  };
}

function errorForLog(error: unknown): Error {
  return error instanceof Error ? error : new Error(`non-error thrown: ${typeof error}`);
}
