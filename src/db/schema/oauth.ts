import type { ColumnType, Generated } from 'kysely';

// Row types of migrations/0020-oauth-apps.ts and 0021-announcements.ts. Keep in step with those files.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type OAuthAppStatus = 'pending' | 'approved' | 'revoked';

export interface OAuthAppsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  client_id: string;
  client_secret_hash: string;
  secret_prefix: string;
  redirect_uris: string[];
  scopes: string[];
  status: ColumnType<OAuthAppStatus, OAuthAppStatus | undefined, OAuthAppStatus>;
  created_by: number | null;
  created_at: DefaultTimestamp;
  approved_by: ColumnType<number | null, number | null | undefined, number | null>;
  approved_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface OAuthGrantsTable {
  id: Generated<number>;
  app_id: number;
  account_id: number;
  user_id: number;
  scopes: string[];
  created_at: DefaultTimestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OAuthCodesTable {
  code_hash: string;
  app_id: number;
  account_id: number;
  user_id: number;
  redirect_uri: string;
  scopes: string[];
  code_challenge: string | null;
  code_challenge_method: string | null;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  grant_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: DefaultTimestamp;
}

export interface OAuthTokensTable {
  token_hash: string;
  grant_id: number;
  kind: 'access' | 'refresh';
  expires_at: NullableTimestamp;
  replaced_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: DefaultTimestamp;
}

export interface AnnouncementsTable {
  id: Generated<number>;
  account_id: number;
  title: string;
  body: ColumnType<string, string | undefined, string>;
  starts_at: DefaultTimestamp;
  ends_at: NullableTimestamp;
  created_by: number | null;
  created_at: DefaultTimestamp;
}

export interface OAuthTables {
  oauth_apps: OAuthAppsTable;
  oauth_grants: OAuthGrantsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
  announcements: AnnouncementsTable;
}
