/**
 * api λ: the API the CLI and the dashboard call (`/api/…`, IAM-authorised): Applications with their
 * resources, history, operations and diff; manual sync and rollback; registration of Applications,
 * AppProjects and clusters. Routes and their logic are in shared/api/.
 */
import { middifyHttp, type HttpEvent } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { s3Blobs } from '../shared/lambda/ports/aws.ts';
import { cachedConnector } from '../shared/lambda/ports/clusters.ts';
import { edgeDeps } from '../shared/engine/edge-deps.ts';
import { dynamoRequestStore } from '../shared/engine/requests.ts';
import { routeApiRequest } from '../shared/api/router.ts';
import type { ApiDeps } from '../shared/api/deps.ts';
import { ENV, requiredEnv } from '../shared/config/env.ts';

export const handler = middifyHttp(async (event: HttpEvent) => routeApiRequest(apiDeps(), event));

function apiDeps(): ApiDeps {
  const engine = engineDeps({ blobs: s3Blobs, connect: cachedConnector });
  return {
    get store() { return engine.store; },
    get blobs() { return engine.blobs; },
    get requests() { return engine.requests ?? dynamoRequestStore({ tableName: requiredEnv(ENV.TABLE_NAME) }); },
    get queue() { return edgeDeps().queue; },
    get connect() { return engine.connect; },
    ...(engine.now ? { now: engine.now } : {}),
  };
}
