/**
 * What the drift sweep starts from, read once per sweep: every registered Application with its
 * binding (project and cluster, checked as the plan step checks them, SECURITY.md §1), its status
 * and its last desired state (the render its status points at, `desiredKey`). The registry is read
 * with three queries (applications, projects, clusters) and the statuses in batches of 100, not
 * three reads per Application; only the renders are read one by one (from S3).
 */
import { findDestinationCluster } from '../model/cluster.ts';
import { checkApplication } from '../model/project-policy.ts';
import { DEFAULT_PROJECT } from '../model/appproject.ts';
import type { AppStatus, Store, StoredApplication } from '../store/ports.ts';
import type { Binding } from './binding.ts';
import type { BlobStore } from './blob-store.ts';
import type { EngineLog } from './deps.ts';
import { mapLimit } from './live.ts';
import { findRenderDocument, type RenderDocument } from './render-store.ts';

export interface SweepEntry {
  stored: StoredApplication;
  /** Undefined when the registry does not allow the Application (reported by the plan step). */
  binding?: Binding;
  status?: AppStatus;
  /** The last desired state; undefined before the first render. */
  desired?: RenderDocument;
}

/** Reads of S3 in flight at once. */
const READ_CONCURRENCY = 16;

/**
 * Every Application with what the sweep needs to know about it.
 * @example const entries = await sweepSnapshot(store, blobs);
 */
export async function sweepSnapshot(store: Store, blobs: BlobStore, log?: EngineLog): Promise<SweepEntry[]> {
  const [apps, projects, clusters] = await Promise.all([store.listApplications(), store.listProjects(), store.listClusters()]);
  const statuses = await store.getStatuses(apps.map((stored) => stored.app.metadata.name));
  return mapLimit(apps, READ_CONCURRENCY, async (stored): Promise<SweepEntry> => {
    const { app } = stored;
    const project = projects.find((p) => p.metadata.name === app.spec.project) ?? (app.spec.project === DEFAULT_PROJECT.metadata.name ? DEFAULT_PROJECT : undefined);
    const cluster = findDestinationCluster(clusters, app.spec.destination);
    const status = statuses.get(app.metadata.name);
    const desired = status?.desiredKey ? await readDesired(blobs, status.desiredKey, app.metadata.name, log) : undefined;
    const allowed = project && cluster && checkApplication(project, app, cluster).length === 0;
    return {
      stored,
      ...(allowed ? { binding: { stored, app, project, cluster } } : {}),
      ...(status ? { status } : {}),
      ...(desired ? { desired } : {}),
    };
  });
}

/** A missing or unreadable render is no desired state (the next render writes a new one). */
async function readDesired(blobs: BlobStore, key: string, app: string, log?: EngineLog): Promise<RenderDocument | undefined> {
  try {
    return await findRenderDocument(blobs, key);
  } catch (error) {
    log?.('warn', 'desired state unreadable', { app, key, reason: (error as Error).message });
    return undefined;
  }
}
