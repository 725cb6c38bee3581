import { sql, type Kysely } from 'kysely';

// Announcements an admin sends to the account's learners (the spec's "mastheads" the Salesforce app shows):
// shown between starts_at and ends_at (open-ended when null).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table announcements (
  id bigserial primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  title text not null,
  body text not null default '',
  starts_at timestamptz not null default now(),
  ends_at timestamptz,
  created_by bigint references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index announcements_account on announcements (account_id, starts_at);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists announcements;`.execute(db);
}
