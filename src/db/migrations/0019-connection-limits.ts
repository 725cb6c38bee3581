import { sql, type Kysely } from 'kysely';

// The vendor's limits of one connection, shared by all of its runs and workers (engine/connection-limiter.ts):
// - connection_limit_slots: one row per concurrency slot; a request holds a slot under a lease (holder, expires_at)
//   that its process renews while the request lasts, so a slot of a process that died comes back when its lease
//   runs out;
// - connection_rate_buckets: a token bucket per connection, refilled and taken in one UPDATE.
// Times are the database's (clock_timestamp()): workers on several hosts share one clock.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table connection_limit_slots (
  connection_id bigint not null references connections (id) on delete cascade,
  slot integer not null,
  holder uuid,
  expires_at timestamptz,
  primary key (connection_id, slot)
);

create table connection_rate_buckets (
  connection_id bigint primary key references connections (id) on delete cascade,
  tokens double precision not null,
  refilled_at timestamptz not null,
  -- whether the last UPDATE took a token (RETURNING sees only the new row)
  granted boolean not null default false
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists connection_rate_buckets; drop table if exists connection_limit_slots;`.execute(db);
}
