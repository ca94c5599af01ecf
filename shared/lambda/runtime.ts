/**
 * Clients the handlers share, built lazily once per process (a Lambda cold start) from the
 * environment, outside any one invocation. Endpoints come from the AWS SDK's own variables
 * (`AWS_ENDPOINT_URL_DYNAMODB`, …), which is how the local runtime points the same handlers at
 * dynalite and fauxqs.
 */
import { ENV, requiredEnv } from '../config/env.ts';
import { createStore, type Store } from '../store/index.ts';

let store: Store | undefined;

/**
 * The state store on the table named by `TABLE_NAME`.
 * @example const lock = await stateStore().releaseAbandoned('dev', executionArn);
 */
export function stateStore(): Store {
  store ??= createStore({ tableName: requiredEnv(ENV.TABLE_NAME) });
  return store;
}
