/**
 * plan λ: called by the render λ (synchronous invoke) with a PlanRequest. Compares the render with
 * the cluster, writes the status, and starts the sync state machine when a person asked or the
 * automated policy says so (shared/engine runPlan). A thrown error fails the render's queue message,
 * which SQS retries and, in the end, moves to the DLQ.
 */
import type { PlanResult } from '../shared/engine/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { s3Blobs, sfnStarter } from '../shared/lambda/ports/aws.ts';
import { cachedConnector } from '../shared/lambda/ports/clusters.ts';
import { runPlan } from '../shared/engine/plan-task.ts';
import { parsePlanRequest } from '../shared/engine/task-inputs.ts';

/** The ports this function uses besides the store (the bundle holds only their clients). */
const PORTS = { blobs: s3Blobs, connect: cachedConnector, executions: sfnStarter };

export const handler = middifyEvent(async (event: unknown): Promise<PlanResult> => runPlan(engineDeps(PORTS), parsePlanRequest(event)));
