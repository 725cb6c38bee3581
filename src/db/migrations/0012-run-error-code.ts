import { sql, type Kysely } from 'kysely';

// A failed run keeps the code of its error (LMC_ERR_...) beside the message, so the API and the CLI can
// return it (before, the code only reached the log).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table runs add column if not exists error_code text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table runs drop column if exists error_code`.execute(db);
}
