import { sql, type Kysely } from 'kysely';

// Running lmc on several hosts (issue 18): which machine and process ran a run (the worker id is a
// hostname:pid:nonce string nobody should parse), and facts every process of the installation must agree
// on, e.g. a check value of the secret key, so a process started with another key refuses to start instead
// of failing every run it takes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table runs add column worker_host text, add column worker_pid integer;
-- The error report lists rejects in file and line order (runs record some rejects later than others, e.g.
-- the conflicts an xAPI import finds when it stores a batch); this index lets it page in that order.
create index run_rejects_line_order on run_rejects (run_id, source, (coalesce(line, 0)), seq);
create table installation_facts (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop table if exists installation_facts;
drop index if exists run_rejects_line_order;
alter table runs drop column if exists worker_host, drop column if exists worker_pid;
`.execute(db);
}
