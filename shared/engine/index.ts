/**
 * shared/engine — the sync orchestration: the plan step, the cluster lock task, the wave tasks
 * (apply, check) that run the pure tick of shared/sync against a cluster one bounded step at a time,
 * and the record step (the janitor is shared/lambda/janitor.ts); with the ports they work through
 * (BlobStore, Executions, Notifier, RequestStore, a ClusterConnector). Handlers in functions/ parse,
 * call one of these, shape. The edge functions' ports (edge-deps.ts …) live beside them.
 */
export { runPlan } from './plan-task.ts';
export { acquireLock, releaseLock, runLockTask } from './lock-task.ts';
export { runWaveTask } from './wave-task.ts';
export { runRecordTask, errorMessage } from './record-task.ts';
export type { EngineDeps, ClusterConnector, EngineLog } from './deps.ts';
export { s3BlobStore, readJson, writeJson, BlobError, type BlobStore } from './blob-store.ts';
export { sfnExecutions, executionName, executionArnOf, type Executions, type StartedExecution } from './executions.ts';
export { snsNotifier, type Notifier, type SyncNotification } from './notifier.ts';
export { dynamoRequestStore, REQUEST_TTL_SECONDS, type OperationRequest, type RequestStore } from './requests.ts';
export { planKey, readPlan, isSelective, PLAN_FORMAT, type PlanDocument, type OperationOptions, type LiveRef } from './plan-document.ts';
export { loadBinding, BindingError, type Binding } from './binding.ts';
export type { ResourceRow } from './compare.ts';
export type { EngineResult } from './operation-record.ts';
export { OVERRIDES_LABEL } from './operation-options.ts';
export type { TaskMode } from './loop.ts';
export { parsePlanRequest, parseLockInput, parseWaveInput, parseRecordInput, TaskInputError } from './task-inputs.ts';
