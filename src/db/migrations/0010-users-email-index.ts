import { sql, type Kysely } from 'kysely';

// One index where there were two: the unique (account_id, lower(email)) and the plain (lower(email)) (sign-in
// looks a person up by email across accounts) become one unique (lower(email), account_id), which serves both
// lookups. Every index of users is written for each inserted user: a first import of 1,000,000 users spent
// ~10 s inserting them into seven indexes (docs/user-import.md, "Performance").
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create unique index users_email_account on users (lower(email), account_id);
drop index users_account_email;
drop index users_email_any_account;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
create unique index users_account_email on users (account_id, lower(email));
create index users_email_any_account on users (lower(email));
drop index users_email_account;
`.execute(db);
}
