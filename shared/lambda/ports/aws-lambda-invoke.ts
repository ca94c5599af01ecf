/**
 * Lambda's synchronous Invoke on its REST API through aws-http.ts instead of the Lambda client
 * (the render λ's hand-over to the plan λ). A function error (the function threw) is an answer with
 * `functionError`, as the SDK reports it; a refused call (no such function, throttled after the
 * retries, no permission) is an AwsHttpError.
 */
import type { LambdaInvoke } from '../../engine/planner.ts';
import { answerError, awsHttpService, encodePath, type AwsHttpService } from './aws-http.ts';

/** @example const answer = await lambdaInvoke()('gitwave-plan', JSON.stringify(request)); */
export function lambdaInvoke(lambda: AwsHttpService = awsHttpService('lambda', 'LAMBDA')): LambdaInvoke {
  const base = lambda.customEndpoint
    ? `${lambda.customEndpoint.origin}${lambda.customEndpoint.pathname.replace(/\/$/, '')}`
    : `https://lambda.${lambda.region}.${lambda.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
  return async (functionName, payload) => {
    const url = new URL(`${base}/2015-03-31/functions/${encodePath([functionName])}/invocations`);
    const answer = await lambda.send({
      method: 'POST', url, body: payload,
      headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
    });
    if (answer.status < 200 || answer.status >= 300) throw answerError('Lambda Invoke', answer);
    const functionError = answer.headers['x-amz-function-error'];
    return { payload: answer.body.toString('utf8'), ...(functionError ? { functionError: String(functionError) } : {}) };
  };
}
