/**
 * drift λ: the scheduled sweep (EventBridge Scheduler, DriftScheduleInput). Every cluster is read
 * once (a list per kind), compared with each Application's last desired state, status written, and
 * syncs queued for what selfHeal and auto-sync would do now; new commits in repositories that send
 * no webhook are queued too. The work is in shared/engine/drift-sweep.ts.
 */
import type { DriftResult, DriftScheduleInput } from '../shared/engine/contracts.ts';
import { middifyEvent, powertools } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { s3Blobs } from '../shared/lambda/ports/aws.ts';
import { cachedConnector } from '../shared/lambda/ports/clusters.ts';
import { resolverFromEnv } from '../shared/lambda/ports/edge.ts';
import { edgeDeps } from '../shared/engine/edge-deps.ts';
import { runDriftSweep } from '../shared/engine/drift-sweep.ts';

export const handler = middifyEvent(async (_input: DriftScheduleInput): Promise<DriftResult> => {
  const engine = engineDeps({ blobs: s3Blobs, connect: cachedConnector });
  const edge = edgeDeps({ revisions: resolverFromEnv });
  const result = await runDriftSweep({
    store: engine.store, blobs: engine.blobs, connect: engine.connect, queue: edge.queue, source: edge.revisions,
    ...(engine.now ? { now: engine.now } : {}),
    ...(engine.log ? { log: engine.log } : {}),
  });
  powertools().logger.info('drift sweep done', { ...result });
  return result;
});
