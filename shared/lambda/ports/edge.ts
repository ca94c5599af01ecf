/**
 * The heavy edge ports (shared/engine/edge-deps.ts), each built from the environment by the
 * functions that name them: the Git source (isomorphic-git, tar) for render and drift; kustomize,
 * the schema validator (AJV) and the plan λ's client for render only.
 */
import { dirname } from 'node:path';
import { ENV, optionalEnv, requiredEnv } from '../../config/env.ts';
import { createRevisionResolver, createSourceReader, shareCheckouts, type RevisionResolver, type SourceReader, type SourceReaderOptions } from '../../source/index.ts';
import { findKustomize, type Renderer } from '../../render/index.ts';
import { SchemaValidator } from '../../render/validate/validator.ts';
import { isLoopbackUrl, secretsClient } from '../../engine/edge-deps.ts';
import { cachedSecret, gitTokenOf } from '../../engine/secrets.ts';
import { lambdaPlanner, type Planner } from '../../engine/planner.ts';
import { lambdaInvoke } from './aws-lambda-invoke.ts';
import { renderStepRenderer } from '../../engine/render-request.ts';

/** The plan λ named by PLAN_FUNCTION_NAME, invoked synchronously (Invoke signed by hand: no Lambda client). */
export const planFunction = (): Planner => lambdaPlanner(lambdaInvoke(), requiredEnv(ENV.PLAN_FUNCTION_NAME));

/**
 * The source reader: GitHub through GITHUB_API_URL (a loopback stand-in plays github.com), any
 * other https Git host through smart HTTP; never local paths on Lambda. Renders of one commit share
 * its checkout (shared/source/shared-checkouts.ts).
 */
export function sourceFromEnv(): SourceReader {
  return shareCheckouts(createSourceReader(sourceOptionsFromEnv()));
}

/** The same hosts and tokens for revisions only (the drift sweep): no tar, no checkout in its bundle. */
export function resolverFromEnv(): RevisionResolver {
  return createRevisionResolver(sourceOptionsFromEnv());
}

function sourceOptionsFromEnv(): SourceReaderOptions {
  const apiBaseUrl = optionalEnv(ENV.GITHUB_API_URL, 'https://api.github.com');
  const local = isLoopbackUrl(apiBaseUrl);
  const tokenArn = optionalEnv(ENV.GIT_TOKEN_SECRET_ARN);
  const tokens = tokenArn ? cachedSecret(secretsClient(), tokenArn) : undefined;
  const host = local || new URL(apiBaseUrl).hostname === 'api.github.com' ? 'github.com' : new URL(apiBaseUrl).hostname;
  return {
    github: {
      apiBaseUrl,
      allowHttp: local,
      hosts: [host],
      ...(tokens ? { token: async () => gitTokenOf(await tokens(), host) } : {}),
    },
  };
}

export function rendererFromEnv(): Renderer {
  const binary = optionalEnv(ENV.KUSTOMIZE_PATH);
  return renderStepRenderer(binary ? { kustomize: findKustomize(dirname(binary)) } : {});
}

export function schemasFromEnv(): () => Promise<SchemaValidator | undefined> {
  const dir = optionalEnv(ENV.GITWAVE_SCHEMAS);
  let validator: Promise<SchemaValidator> | undefined;
  return () => {
    if (!dir) return Promise.resolve(undefined);
    validator ??= SchemaValidator.open(dir);
    return validator;
  };
}
