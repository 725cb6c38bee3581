import type { Readable } from 'node:stream';
import type { FileSource } from './file-sources/file-source.ts';
import type { HttpClient } from './http/client.ts';

/** One line of a run's error report. */
export interface RejectedRecord {
  /** File name, or "record" for API sources. */
  source: string;
  /** 1-based physical line of the record's start in the file (header = line 1). */
  line?: number;
  /** E.g. the email or the vendor's id. */
  recordId?: string;
  field?: string;
  reason: string;
}

export type CountKind = 'read' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'rejected' | 'suspended' | 'deleted';

/**
 * What an action's run() receives. The engine decides the final status: completed, completed_with_errors
 * (any rejects), failed (thrown error), cancelled, needs_approval.
 */
export interface RunContext<S = any, O = any, T = any> {
  runId: number;
  accountId: number;
  /** Secrets decrypted. */
  connection: { id: number; name: string; connectorId: string; settings: S };
  /** The action's saved options. */
  options: O;
  /** On demand: start date .. end date or now; scheduled exports: continue from the last successful window end. */
  window: { since: Date | null; until: Date };
  trigger: 'on_demand' | 'schedule' | 'rerun';
  dryRun: boolean;
  /** True when an admin approved this run after needs_approval. */
  approved: boolean;
  /** Aborted on cancel (and when the run's lease is lost); actions check it between batches. */
  signal: AbortSignal;
  log(level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): void;
  /** Throttled by the engine. */
  progress(done: number, total?: number, phase?: string): void;
  count(kind: CountKind, n?: number): void;
  /** Appends to the run's error report (and counts 'rejected'). */
  reject(r: RejectedRecord): Promise<void>;
  /** Stores a file produced by the run (e.g. the dry run's change set CSV), downloadable through the API. */
  attach(name: 'change-set.csv' | (string & {}), data: Readable | Buffer | string, contentType?: string): Promise<void>;
  /** Stops the run in "needs approval" unless rc.approved; throws a signal the engine catches. */
  requireApproval(reason: string, summary: Record<string, unknown>): void;
  /** Incremental actions (action.state): where the last successful run left off, null for a full read. */
  state: { current: T | null; stage(next: T): void };
  /**
   * API connectors: the vendor API client of this connection (connector.http, signed with its auth kind),
   * cancelled with the run; its retries are written to the run log and its counts at the end.
   */
  http(): HttpClient;
  /** The connection's file drop (connector.openFiles), closed by the engine. */
  files(): Promise<FileSource>;
  /** What the learning platform offers connectors (they get no database): read through these ports. */
  platform: PlatformPorts;
}

/** The platform's reports a connector may read (see docs/reports.md for their columns). */
export type ReportName = 'learner-transcript' | 'user-skills' | 'users' | 'trainings' | 'feedback' | 'gamification';

export interface ReportRowsOptions {
  /** Learner transcript: which records (default all). */
  status?: 'all' | 'completed' | 'in_progress' | 'not_started' | 'unenrolled';
  /** Rows per batch (default 1000, at most 50,000). */
  batchSize?: number;
}

/** Narrow ports onto the learning platform, for connectors' own actions (exports to a vendor's API). */
export interface PlatformPorts {
  /**
   * A report's rows for the run's window, in batches (header name -> text), exactly the rows the CSV export
   * of that report writes; memory holds one batch.
   * @example for await (const batch of rc.platform.reportRows('learner-transcript', { status: 'completed' })) await upsert(batch);
   */
  reportRows(report: ReportName, opts?: ReportRowsOptions): AsyncIterable<Array<Record<string, string>>>;
  /**
   * The vendor record id each of these users was imported from through this connection ("Import Internal
   * Users" of a `users` source), by platform user id (the reports' "User ID"): what an export back to the same
   * vendor names them by. Users never imported through this connection are absent from the map.
   * @example const ids = await rc.platform.userSourceIds([12, 13]); ids.get(12) // 'EMP-0012'
   */
  userSourceIds(userIds: number[]): Promise<Map<number, string>>;
  /**
   * Runs `fn` unless a run of any account, in any worker, holds the lock named `key`: then `{ busy: true }` at
   * once. For work that must not run twice at a time against one outside resource, e.g. two accounts exporting
   * to the same vendor account.
   * @example const r = await rc.platform.exclusive(`workday:${host}|${tenant}|${user}`, () => exportSkills()); if (r.busy) throw ...
   */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<{ busy: true } | { busy: false; value: T }>;
}
