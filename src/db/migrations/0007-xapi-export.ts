import { sql, type Kysely } from 'kysely';

// xAPI export configurations (src/pipelines/export-xapi): which JSON paths of a stored statement become which
// CSV columns. Kept at account level, not per connection, so that every connection's "Export xAPI" action (and
// later Power BI's xAPI export) can use the same configuration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table xapi_export_configs (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  name text not null,
  -- [{path, column, type}] in column order, validated by export-config.ts before it is written
  columns jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index xapi_export_configs_name on xapi_export_configs (account_id, lower(name));
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists xapi_export_configs`.execute(db);
}
