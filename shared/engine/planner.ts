/**
 * The render step's hand-over to the plan λ: a synchronous Lambda Invoke (so a failed plan fails the
 * queue message, which comes back and is retried, then reaches the DLQ), behind a one-verb port.
 * The local runtime answers the same Invoke call with its Lambda stand-in.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { PlanRequest, PlanResult } from './contracts.ts';

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
 * The Lambda adapter.
 * @example const result = await lambdaPlanner(new LambdaClient({}), 'gitwave-plan').plan(request);
 */
export function lambdaPlanner(client: LambdaClient, functionName: string): Planner {
  return {
    async plan(request) {
      const answer = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: JSON.stringify(request) }));
      const text = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : 'null';
      if (answer.FunctionError) {
        const error = safeParse(text) as { errorType?: string; errorMessage?: string } | undefined;
        throw new PlanInvokeError(error?.errorType ?? answer.FunctionError, `${request.app} failed: ${error?.errorMessage ?? answer.FunctionError}`);
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
