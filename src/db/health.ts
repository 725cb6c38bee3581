import { sql } from 'kysely';
import type { Database } from './database.ts';

/** Throws when the database cannot answer a trivial query. */
export async function checkDatabase(db: Database): Promise<void> {
  await sql`select 1`.execute(db);
}
