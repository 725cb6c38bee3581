import type { ColumnType, JSONColumnType } from 'kysely';

// Row types of migrations/0014-connection-tokens.ts and 0015-action-state.ts (what API connectors keep between
// runs). Keep in step with those files.
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

export interface ActionStateTable {
  connection_id: number;
  action_id: string;
  account_id: number;
  state: JSONColumnType<Record<string, unknown>, string, string>;
  run_id: number | null;
  updated_at: DefaultTimestamp;
}

export interface AuthTables {
  connection_tokens: ConnectionTokensTable;
  action_state: ActionStateTable;
}
