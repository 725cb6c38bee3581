import { sql, type Kysely } from 'kysely';

// Tokens an API connector's auth kind obtained (OAuth access and refresh tokens, vendor sessions), one row per
// connection, encrypted like the connection's secrets. Kept apart from connections.settings: they change on
// their own (every renewal, during runs) and an admin never types them. `needs_reauth_*` is set when the
// vendor refuses the saved grant; a new authorization clears it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table connection_tokens (
  connection_id bigint primary key references connections (id) on delete cascade,
  account_id bigint not null,
  sealed jsonb,
  expires_at timestamptz,
  needs_reauth_reason text,
  needs_reauth_at timestamptz,
  updated_at timestamptz not null default now()
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists connection_tokens;`.execute(db);
}
