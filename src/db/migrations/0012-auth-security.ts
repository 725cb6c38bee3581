import { sql, type Kysely } from 'kysely';

// Security of sign-in and of administrators (issue 13):
// - sign_in_throttle: failed sign-ins per key ("user:<email>", "address:<ip>"), in the database so that every
//   API server of an installation sees the same counts (src/platform/sign-in-throttle.ts);
// - users.reset_token_hash / reset_expires_at: a one-time password reset token an admin issues (only its
//   SHA-256 is stored), instead of anyone setting another user's password;
// - users_admins: the few users holding an admin role, so that an import finds them without reading every user
//   (src/platform/user-import/admin-guard.ts). The predicate must stay the one the queries use.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table sign_in_throttle (
  key text primary key,
  failures integer not null default 0,
  last_failure_at timestamptz not null default now(),
  locked_until timestamptz
);
alter table users add column reset_token_hash text, add column reset_expires_at timestamptz;
create unique index users_reset_token on users (reset_token_hash) where reset_token_hash is not null;
create index users_admins on users (account_id) where roles && '{admin,integration_admin}'::text[];
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop index users_admins;
drop index users_reset_token;
alter table users drop column reset_token_hash, drop column reset_expires_at;
drop table sign_in_throttle;
`.execute(db);
}
