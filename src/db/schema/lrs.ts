import type { ColumnType, Generated, JSONColumnType } from 'kysely';

// Row types of migrations/0003-lrs.ts (the xAPI Learning Record Store). Keep in step with that file.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface LrsCredentialsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  key: string;
  secret_hash: string;
  scopes: string[];
  created_at: DefaultTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** migrations/0012-lrs-key-version.ts: the version reported to requests that name none */
  xapi_version: ColumnType<'2.0.0' | '1.0.3', '2.0.0' | '1.0.3' | undefined, '2.0.0' | '1.0.3'>;
}

export interface LrsStatementsTable {
  seq: Generated<number>;
  account_id: number;
  id: string;
  stored: Timestamp;
  actor_key: string | null;
  verb_id: string;
  object_activity_id: string | null;
  object_statement_id: string | null;
  registration: string | null;
  voided: ColumnType<boolean, boolean | undefined, boolean>;
  is_voiding: ColumnType<boolean, boolean | undefined, boolean>;
  timestamp: Timestamp;
  statement: JSONColumnType<Record<string, unknown>, string, string>;
  attachment_hashes: ColumnType<string[], string[] | undefined, string[]>;
}

export interface LrsStatementAgentsTable {
  account_id: number;
  agent_key: string;
  stored: Timestamp;
  seq: number;
  direct: boolean;
}

export interface LrsStatementActivitiesTable {
  account_id: number;
  activity_id: string;
  stored: Timestamp;
  seq: number;
  direct: boolean;
}

export interface LrsAttachmentsTable {
  account_id: number;
  sha2: string;
  content_type: string;
  content: Buffer;
}

export interface LrsActivitiesTable {
  account_id: number;
  activity_id: string;
  activity: JSONColumnType<Record<string, unknown>, string, string>;
}

export interface LrsDocumentsTable {
  id: Generated<number>;
  account_id: number;
  kind: 'state' | 'activity_profile' | 'agent_profile';
  activity_id: ColumnType<string, string | undefined, string>;
  agent_key: ColumnType<string, string | undefined, string>;
  registration: ColumnType<string, string | undefined, string>;
  doc_id: string;
  content_type: string;
  content: Buffer;
  etag: string;
  updated: Timestamp;
}

export interface LrsTables {
  lrs_credentials: LrsCredentialsTable;
  lrs_statements: LrsStatementsTable;
  lrs_statement_agents: LrsStatementAgentsTable;
  lrs_statement_activities: LrsStatementActivitiesTable;
  lrs_attachments: LrsAttachmentsTable;
  lrs_activities: LrsActivitiesTable;
  lrs_documents: LrsDocumentsTable;
}
