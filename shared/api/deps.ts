/**
 * What the api λ works through: the state store, the bucket (renders, for the diff), operation
 * requests, the request queue, and a read-only cluster connection (the diff only). Handlers get them
 * from shared/lambda/runtime.ts and shared/engine/edge-deps.ts; tests plug local servers in.
 */
import type { Store } from '../store/ports.ts';
import type { BlobStore } from '../engine/blob-store.ts';
import type { ClusterConnector } from '../engine/deps.ts';
import type { RequestStore } from '../engine/requests.ts';
import type { RequestQueue } from '../engine/request-queue.ts';
import type { ExecutionReader } from './executions.ts';

export interface ApiDeps {
  store: Store;
  blobs: BlobStore;
  requests: RequestStore;
  queue: RequestQueue;
  connect: ClusterConnector;
  /** Reads sync executions (the dashboard's execution view); default: Step Functions from the environment. */
  executions?: ExecutionReader;
  /** Epoch milliseconds; default Date.now. */
  now?: () => number;
  /** Request ids; default crypto.randomUUID. */
  newId?: () => string;
}
