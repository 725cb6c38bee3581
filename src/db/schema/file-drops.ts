import type { ColumnType, Generated } from 'kysely';

// Row types of migrations/0004-file-drops.ts. Keep in step with that file.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SftpAccountsTable {
  id: Generated<number>;
  account_id: number;
  username: string;
  email: string;
  password_hash: string | null;
  reset_token_hash: string | null;
  reset_expires_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SftpPublicKeysTable {
  id: Generated<number>;
  sftp_account_id: number;
  algorithm: string;
  key_data: string;
  fingerprint: string;
  comment: ColumnType<string, string | undefined, string>;
  created_at: DefaultTimestamp;
}

export interface FileDropHostKeysTable {
  connection_id: number;
  account_id: number;
  host: string;
  port: number;
  key_type: string;
  fingerprint: string;
  pinned_at: DefaultTimestamp;
  pending_key_type: string | null;
  pending_fingerprint: string | null;
  pending_seen_at: Timestamp | null;
}

export interface FileDropTables {
  sftp_accounts: SftpAccountsTable;
  sftp_public_keys: SftpPublicKeysTable;
  file_drop_host_keys: FileDropHostKeysTable;
}
