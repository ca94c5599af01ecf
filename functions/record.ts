/**
 * record λ: the `Record sync` and `Record failure` states: the final operation state, the status and
 * (for a successful, non-dry-run, non-selective sync) a history entry, conditional on the fence; then
 * the SNS notification (shared/engine runRecordTask). A stale holder records nothing.
 */
import type { RecordTaskResult } from '../shared/engine/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { s3Blobs, snsTopic } from '../shared/lambda/ports/aws.ts';
import { runRecordTask } from '../shared/engine/record-task.ts';
import { parseRecordInput } from '../shared/engine/task-inputs.ts';

/** The ports this function uses besides the store (the bundle holds only their clients). */
const PORTS = { blobs: s3Blobs, notifier: snsTopic };

export const handler = middifyEvent(async (event: unknown): Promise<RecordTaskResult> => runRecordTask(engineDeps(PORTS), parseRecordInput(event)));
