import { sql, type Kysely } from 'kysely';

// Incremental state of an action (a vendor's delta link, a modified-since cursor): one row per connection
// and action, written only together with a successful run's final status, so a failed run leaves the cursor
// where the last good run put it. Each run keeps the state it started from and the one it staged, so an
// admin sees what a run read and can reset the state (the next run reads everything).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table action_state (
  connection_id bigint not null references connections (id) on delete cascade,
  action_id text not null,
  account_id bigint not null,
  state jsonb not null,
  run_id bigint references runs (id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (connection_id, action_id)
);
alter table runs add column state_before jsonb, add column state_after jsonb;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop table if exists action_state;
alter table runs drop column if exists state_before, drop column if exists state_after;
`.execute(db);
}
