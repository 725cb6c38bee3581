import { sql, type Kysely } from 'kysely';

// users_data_source (data_source_id) served one query: the users an import's connection owns, to suspend or
// delete the absent ones. That query already reads every row of the import, and the account's users are
// reached through users_account_state, so the index bought nothing; every inserted user paid for it (about
// 0.9 s of a first import of 1,000,000 users; docs/user-import.md, "Memory and speed").
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists users_data_source`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists users_data_source on users (data_source_id) where data_source_id is not null`.execute(db);
}
