/** The API's JSON shapes as the dashboard reads them (shared/api/*: views, application-pages, activity, executions). */
export interface Operation { phase: string; message: string; startedAt: string; finishedAt: string | null }

export interface AppRow {
  name: string;
  project: string;
  cluster: string;
  namespace: string;
  sync: { status: string; revision: string | null };
  health: { status: string };
  operation: Operation | null;
  labels: Record<string, string>;
  source: { repoURL: string; path: string; targetRevision: string };
  commitUrl: string | null;
}

export type Facet = 'sync' | 'health' | 'cluster' | 'project' | 'labels';
export interface AppPage { items: AppRow[]; total: number; page: number; pageSize: number; counts: Record<Facet, Record<string, number>> }

export interface Resource {
  group: string; kind: string; namespace: string | null; name: string; phase: string; wave: number; hook: boolean;
  sync: { status: string | null }; health: { status: string | null; message: string | null };
}
/** GET /api/clusters/{name}: never how the cluster is reached. */
export interface ClusterInfo { name: string; labels: Record<string, string>; applications: number }

export interface AppDetail extends Omit<AppRow, 'labels' | 'source' | 'commitUrl'> { resources: Resource[] }

export interface OperationRecord {
  syncId: string; phase: string; message: string; revision: string; startedAt: string; finishedAt: string | null;
  dryRun: boolean; prune: boolean; selective: boolean; fromGit: boolean; initiatedBy: { username?: string; automated?: boolean };
}

export interface TaskProgress {
  id: string; kind: string; namespace: string; name: string; syncPhase: string; wave: number | null; hookType: string;
  status: string; hookPhase: string; health: { status: string; message?: string } | null; message: string;
}

export interface Activity {
  conditions: Array<{ type: string; message: string; lastTransitionTime?: string }>;
  reconciledAt: string | null;
  operation: (OperationRecord & {
    retryCount: number; words: string; loop: { phase: string; wave?: number } | null;
    execution: { name: string; arn: string } | null; tasks: TaskProgress[];
  }) | null;
}

export interface HistoryEntry {
  id: number; revision: string; deployedAt: string; deployStartedAt: string; syncId: string; fromGit: boolean;
  initiatedBy: { username?: string; automated?: boolean }; overrides?: Record<string, unknown>;
}

export interface Change { path: string; op: 'add' | 'remove' | 'replace'; predicted?: unknown; live?: unknown }
export interface ResourceDiff { group: string; kind: string; namespace: string | null; name: string; action: string; changes: Change[] }
export interface AppDiff { name: string; revision: string; resources: ResourceDiff[]; text: string }

export interface ExecutionEvent { id: number; type: string; timestamp: string; state?: string }
export interface Execution {
  name: string; executionArn: string; status: string; startDate: string | null; stopDate: string | null;
  error: string | null; cause: string | null; definition: AslMachine; events: ExecutionEvent[]; current: string | null; consoleUrl: string;
}
export interface AslState {
  Type: string; Next?: string; End?: boolean; Default?: string; Choices?: Array<{ Next: string }>;
  Catch?: Array<{ Next: string }>; Branches?: AslMachine[]; ItemProcessor?: AslMachine; Iterator?: AslMachine; Comment?: string;
}
export interface AslMachine { StartAt: string; States: Record<string, AslState>; Comment?: string }
