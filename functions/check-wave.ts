/**
 * check-wave λ: `<phase>: check wave`, after the Wait: read health and hook completion, record what
 * changed, and tell the phase loop whether to wait again, apply the next wave, or move on
 * (shared/engine runWaveTask in check mode: it never starts a new group).
 */
import type { WaveTaskResult } from '../shared/engine/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { s3Blobs } from '../shared/lambda/ports/aws.ts';
import { cachedConnector } from '../shared/lambda/ports/clusters.ts';
import { runWaveTask } from '../shared/engine/wave-task.ts';
import { parseWaveInput } from '../shared/engine/task-inputs.ts';

/** The ports this function uses besides the store (the bundle holds only their clients). */
const PORTS = { blobs: s3Blobs, connect: cachedConnector };

export const handler = middifyEvent(async (event: unknown): Promise<WaveTaskResult> => runWaveTask(engineDeps(PORTS), parseWaveInput(event), 'check'));
