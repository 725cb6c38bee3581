import { sql, type Kysely } from 'kysely';

// Which vendor record each imported user came from, per connection (a user may come from several sources
// over time). A delta read of a vendor names removed users and managers by the vendor's id only (Graph's
// `@removed`, `manager@delta`): this table finds the user behind such an id. Written by the user import in
// its transaction. No foreign keys: users and connections are never removed (only marked deleted), and
// the keys' triggers would run twice per imported user in the import's slowest phase (bench:api-import).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table user_source_ids (
  connection_id bigint not null,
  source_id text not null,
  user_id bigint not null,
  updated_at timestamptz not null default now(),
  primary key (connection_id, source_id)
);
create index user_source_ids_user on user_source_ids (user_id);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists user_source_ids;`.execute(db);
}
