import { sql, type Kysely } from 'kysely';

// File drops: the hosted SFTP service's logins (one per platform account) and their public keys, and the
// host keys pinned for connections to customers' own SFTP servers (Custom FTP).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table sftp_accounts (
  id bigint generated always as identity primary key,
  -- the spec: only one hosted FTP account per platform account
  account_id bigint not null unique references accounts(id) on delete cascade,
  username text not null unique,
  -- the person responsible for the drop; the password reset is theirs
  email text not null,
  password_hash text,
  -- one-time password reset: only the SHA-256 of the token is kept
  reset_token_hash text unique,
  reset_expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table sftp_public_keys (
  id bigint generated always as identity primary key,
  sftp_account_id bigint not null references sftp_accounts(id) on delete cascade,
  algorithm text not null,
  -- the key blob (SSH wire format), base64: what a client offers in publickey authentication
  key_data text not null,
  fingerprint text not null,
  comment text not null default '',
  created_at timestamptz not null default now(),
  unique (sftp_account_id, fingerprint)
);

-- Trust on first use for outgoing SFTP (Custom FTP): the first host key seen is pinned; a different one
-- is refused (and remembered as pending) until an admin accepts it.
create table file_drop_host_keys (
  connection_id bigint primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  host text not null,
  port int not null,
  key_type text not null,
  fingerprint text not null,
  pinned_at timestamptz not null default now(),
  pending_key_type text,
  pending_fingerprint text,
  pending_seen_at timestamptz
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists file_drop_host_keys; drop table if exists sftp_public_keys; drop table if exists sftp_accounts;`.execute(db);
}
