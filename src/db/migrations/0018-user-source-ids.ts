import { sql, type Kysely } from 'kysely';

// Which vendor record each imported user came from, per connection (a user may come from several sources
// over time). A delta read of a vendor names removed users and managers by the vendor's id only (Graph's
// `@removed`, `manager@delta`): this table finds the user behind such an id. Written by the user import in
// its transaction; a user's rows go with the user.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table user_source_ids (
  connection_id bigint not null references connections (id) on delete cascade,
  source_id text not null,
  user_id bigint not null references users (id) on delete cascade,
  updated_at timestamptz not null default now(),
  primary key (connection_id, source_id)
);
create index user_source_ids_user on user_source_ids (user_id);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists user_source_ids;`.execute(db);
}
