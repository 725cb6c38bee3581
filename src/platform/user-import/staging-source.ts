import type pg from 'pg';
import type { EmailKeys } from './email-filter.ts';
import type { ImportPlanShape, UserImportFilters } from './import-options.ts';

/**
 * What the user import takes its users from. runUserImport is a sink: it creates the staging table
 * (staging.ts), lets the source fill it, then validates, plans and applies in SQL. Sources live outside the
 * platform (src/pipelines/import-users: CSV files, a vendor's records), so the platform knows no file format.
 *
 * @example const opened = await source.open(shape.requiredColumns); const staged = await opened.fill(client, target);
 */
export interface StagingSource {
  /**
   * Called once the mapping is checked, before the import's transaction: checks the source can give every
   * column the mapping needs (throws naming what lacks where, before anything is read).
   * @param required the source columns the mapping and filters use (shape.requiredColumns)
   */
  open(required: string[]): Promise<OpenedSource>;
}

/** A source ready to be staged. */
export interface OpenedSource {
  /**
   * true: the rows are everyone in scope (users of the connection absent from them are kept, suspended or
   * deleted as configured); false: a delta (only the users the source reports removed are).
   */
  complete: boolean;
  /** Nothing to import (the run ends there, with this logged), e.g. no file in the drop. */
  empty?: string;
  /** Every column the source holds (first spelling of each): offered on the mapping page. */
  columns?: string[];
  /** What the users of the connection are missing from, in messages: "the files", "the source". */
  absentFrom: string;
  /**
   * Rows carry vendor record ids: the source filled RECORD_IDS (and REMOVED) beside the rows, the import
   * remembers each user's id (user_source_ids) and names records by id.
   */
  byRecordId: boolean;
  /**
   * (byRecordId) The record id is the person's HR UUID (e.g. Workday's worker id): in the import's transaction
   * every user of the run whose record id is known gets it as externalIds.hr_uuid (source-ids.ts), which an
   * admin can neither clear nor change; a dry run's change set shows those that would change.
   */
  recordIdIsUuid?: boolean;
  /** Fills ROWS (columns rowColumns(shape), COPY text format) in the import's transaction. */
  fill(client: pg.ClientBase, target: StagingTarget): Promise<StagedRows>;
  /** Where a staged row came from, for the error report: a file and its line, or the vendor's record id. */
  place(fileNo: number, line: number): { source: string; line?: number; recordId?: string };
  /** An SQL expression naming the staged row `r` (alias of ROWS) in a duplicate's message. */
  placeSql(lit: (v: string) => string): string;
}

/** What a source writes its rows for. */
export interface StagingTarget {
  shape: ImportPlanShape;
  filters: UserImportFilters;
  /** Learns the e-mail and manager keys of the rows (whether any may appear twice). */
  keys: EmailKeys;
  /** Whether rows carry their profile and field documents (plan-changes.ts, stagedDocs). */
  docs: boolean;
  signal?: AbortSignal;
  progress?(done: number, total?: number, phase?: string): void;
  log?(level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): void;
}

/** What a source staged. */
export interface StagedRows {
  /** rows staged (records read) */
  read: number;
  /** Some rows name their manager by vendor id only (RECORD_IDS.manager_id): the import resolves them. */
  managersById?: boolean;
}
