import type { ColumnType, Generated, JSONColumnType } from 'kysely';

// Row types of migrations/0002-engine.ts. Keep in step with that file.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string | T | undefined, string | T>;

export type RunStatus = 'queued' | 'running' | 'completed' | 'completed_with_errors' | 'needs_approval' | 'failed' | 'cancelled';
export type RunTrigger = 'on_demand' | 'schedule' | 'rerun';
/** suspended/deleted: users an import suspended or deleted (absent from the source); older runs lack them (read as 0). */
export type RunCounts = { read: number; created: number; updated: number; unchanged: number; skipped: number; rejected: number; suspended: number; deleted: number };

export interface ConnectionsTable {
  id: Generated<number>;
  account_id: number;
  connector_id: string;
  name: string;
  history_key: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  settings: Json<Record<string, unknown>>;
  created_by: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  deleted_at: Timestamp | null;
}

export interface ActionSettingsTable {
  connection_id: number;
  action_id: string;
  options: Json<Record<string, unknown>>;
  updated_at: DefaultTimestamp;
}

export interface SchedulesTable {
  connection_id: number;
  action_id: string;
  account_id: number;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  start_local: string;
  time_zone: string;
  every_n: number;
  unit: 'days' | 'hours';
  next_due_at: Timestamp | null;
  last_slot_at: Timestamp | null;
  updated_at: DefaultTimestamp;
}

export interface RunsTable {
  id: Generated<number>;
  account_id: number;
  connection_id: number;
  history_key: string;
  connector_id: string;
  action_id: string;
  type: 'import' | 'export';
  trigger: RunTrigger;
  started_by: number | null;
  slot_at: Timestamp | null;
  window_since: Timestamp | null;
  window_until: Timestamp | null;
  status: ColumnType<RunStatus, RunStatus | undefined, RunStatus>;
  options: Json<Record<string, unknown>>;
  dry_run: ColumnType<boolean, boolean | undefined, boolean>;
  approved: ColumnType<boolean, boolean | undefined, boolean>;
  approval_reason: string | null;
  approval_summary: Json<Record<string, unknown>> | null;
  disable_access: ColumnType<boolean, boolean | undefined, boolean>;
  counts: Json<RunCounts>;
  progress_done: ColumnType<number, number | undefined, number>;
  progress_total: number | null;
  progress_phase: string | null;
  error: string | null;
  /** The LMC_ERR_... code of `error` (failed runs). */
  error_code: string | null;
  note: string | null;
  cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
  worker_id: string | null;
  /** The machine and process of the worker that ran (or runs) it (migration 0017). */
  worker_host: string | null;
  worker_pid: number | null;
  lease_expires_at: Timestamp | null;
  heartbeat_at: Timestamp | null;
  rerun_of: number | null;
  /** Incremental actions: the state the run started from, and the one it staged (committed only on success). */
  state_before: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  state_after: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  queued_at: DefaultTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface RunLogsTable {
  run_id: number;
  seq: number;
  at: DefaultTimestamp;
  level: string;
  message: string;
  data: Json<Record<string, unknown>> | null;
}

export interface RunRejectsTable {
  run_id: number;
  seq: number;
  source: string;
  line: number | null;
  record_id: string | null;
  field: string | null;
  reason: string;
}

export interface RunFilesTable {
  run_id: number;
  name: string;
  content_type: string;
  size: number;
  /** Only files stored before migration 0009; newer ones are in run_file_chunks. */
  data: Buffer | null;
  created_at: DefaultTimestamp;
}

/** A run file's content in order of seq (migration 0009). */
export interface RunFileChunksTable {
  run_id: number;
  name: string;
  seq: number;
  data: Buffer;
}

export interface NotificationsTable {
  id: Generated<number>;
  account_id: number;
  run_id: number | null;
  kind: string;
  title: string;
  body: ColumnType<string, string | undefined, string>;
  created_at: DefaultTimestamp;
}

export interface EngineTables {
  connections: ConnectionsTable;
  action_settings: ActionSettingsTable;
  schedules: SchedulesTable;
  runs: RunsTable;
  run_logs: RunLogsTable;
  run_rejects: RunRejectsTable;
  run_files: RunFilesTable;
  run_file_chunks: RunFileChunksTable;
  notifications: NotificationsTable;
  installation_facts: InstallationFactsTable;
}

/** Facts every process of one installation must agree on (e.g. "secret_key_check"). */
export interface InstallationFactsTable {
  name: string;
  value: string;
  created_at: DefaultTimestamp;
}
