/** Status filters of the Learner Transcript (spec "Filter status of Learner Transcripts"). */
export const TRANSCRIPT_STATUSES = ['all', 'completed', 'in_progress', 'not_started', 'unenrolled'] as const;
export type TranscriptStatus = (typeof TRANSCRIPT_STATUSES)[number];

export const REPORT_IDS = ['learner-transcript', 'user-skills', 'users', 'trainings', 'feedback', 'gamification', 'unified'] as const;
export type ReportId = (typeof REPORT_IDS)[number];
/** The reports a unified report can combine (every report but itself). */
export type ComponentReportId = Exclude<ReportId, 'unified'>;

/** What a report is asked for. The range is [from, to): from inclusive, to exclusive; either may be open. */
export interface ReportParams {
  accountId: number;
  from?: Date;
  to?: Date;
  /** Learner Transcript only (also inside a unified report). Default 'all'. */
  status?: TranscriptStatus;
  /** Unified report only: the component reports to combine, in this order. */
  include?: ComponentReportId[];
}

/** One output column: its header and the SQL expression producing its text. */
export interface ColumnSql {
  name: string;
  sql: string;
}

/** What a report contributes to a query: FROM/WHERE/ORDER BY text around its own columns. */
export interface ReportBody {
  /** Columns after the user columns (or all columns when the report is not about users). */
  columns: ColumnSql[];
  /** FROM clause (without the word), aliases of the report's own tables. */
  from: string;
  where: string[];
  orderBy: string[];
  /** A bigint expression ordering the rows inside a unified report. */
  rowKey: string;
  /** SQL giving the row's user id when the report is about users: the user columns are joined on it. */
  userId?: string;
}

/** The active fields of the account, in the order their columns appear. */
export interface ReportEnv {
  activeFields: string[];
}

/** A SELECT ready for COPY, and its header. */
export interface ReportSelect {
  sql: string;
  columns: string[];
}

/** A report of the family (docs/reports.md describes each one's columns). */
export interface ReportInfo {
  id: ReportId;
  title: string;
  /** Bumped whenever columns are added, removed, renamed or reordered, or a value's format changes. */
  schemaVersion: number;
  description: string;
  /** Which date the from/to range filters on (documentation and the API's report list). */
  rangeOn: string;
}

/** A report made of one query (every report but the unified one, which combines these). */
export interface ReportDefinition extends ReportInfo {
  id: ComponentReportId;
  build(p: ReportParams, env: ReportEnv): ReportBody;
}
