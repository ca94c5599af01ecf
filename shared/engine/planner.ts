/**
 * The render step's hand-over to the plan λ: a synchronous Lambda Invoke (so a failed plan fails the
 * queue message, which comes back and is retried, then reaches the DLQ), behind a one-verb port.
 * The local runtime answers the same Invoke call with its Lambda stand-in.
 */
import type { PlanRequest, PlanResult } from './contracts.ts';

/** A synchronous (RequestResponse) Invoke: the function's answer, and its error kind when it failed. */
export type LambdaInvoke = (functionName: string, payload: string) => Promise<{ payload: string; functionError?: string }>;

export interface Planner {
  plan(request: PlanRequest): Promise<PlanResult>;
}

/** The plan λ failed (its error type and message, as Lambda reports a function error). */
export class PlanInvokeError extends Error {
  override readonly name = 'PlanInvokeError';
  constructor(readonly errorType: string, message: string) {
    super(`plan of ${message}`);
  }
}

/**
 * The Lambda adapter, on an Invoke call (shared/lambda/ports/aws-lambda-invoke.ts).
 * @example const result = await lambdaPlanner(lambdaInvoke(), 'gitwave-plan').plan(request);
 */
export function lambdaPlanner(invoke: LambdaInvoke, functionName: string): Planner {
  return {
    async plan(request) {
      const answer = await invoke(functionName, JSON.stringify(request));
      const text = answer.payload || 'null';
      if (answer.functionError) {
        const error = safeParse(text) as { errorType?: string; errorMessage?: string } | undefined;
        throw new PlanInvokeError(error?.errorType ?? answer.functionError, `${request.app} failed: ${error?.errorMessage ?? answer.functionError}`);
      }
      return safeParse(text) as PlanResult;
    },
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
