import type { ColumnType, JSONColumnType } from 'kysely';

// Row types of migrations/0014-connection-tokens.ts. Keep in step with that file.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ConnectionTokensTable {
  connection_id: number;
  account_id: number;
  /** An encrypted TokenSet ({ $enc }), or null once cleared. */
  sealed: JSONColumnType<{ $enc: string } | null, string | null | undefined, string | null>;
  expires_at: Timestamp | null;
  needs_reauth_reason: string | null;
  needs_reauth_at: Timestamp | null;
  updated_at: DefaultTimestamp;
}

export interface AuthTables {
  connection_tokens: ConnectionTokensTable;
}
