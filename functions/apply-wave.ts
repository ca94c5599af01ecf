/**
 * apply-wave λ: `<phase>: apply wave`, one bounded tick of a phase: renew the lock and check the
 * fence, then run the next (phase, wave) group if it belongs to this phase (shared/engine
 * runWaveTask). Permanent cluster errors fail the resource; transient ones are thrown, for the
 * state machine's Retry.
 */
import type { WaveTaskResult } from '../shared/engine/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { s3Blobs, sqsQueue } from '../shared/lambda/ports/aws.ts';
import { cachedConnector } from '../shared/lambda/ports/clusters.ts';
import { runWaveTask } from '../shared/engine/wave-task.ts';
import { parseWaveInput } from '../shared/engine/task-inputs.ts';

/**
 * The ports this function uses besides the store (the bundle holds only their clients); the queue
 * asks for a child Application's first render as soon as a parent's wave registers it.
 */
const PORTS = { blobs: s3Blobs, connect: cachedConnector, queue: sqsQueue };

export const handler = middifyEvent(async (event: unknown): Promise<WaveTaskResult> => runWaveTask(engineDeps(PORTS), parseWaveInput(event), 'apply'));
