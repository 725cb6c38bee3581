import { sql } from 'kysely';
import type { Database } from '../db/database.ts';

/** Every account with its user count (for the server's owner: the CLI). */
export async function listAccounts(db: Database) {
  const r = await sql<{ id: number; slug: string; name: string; users: number; created_at: Date }>`
    select a.id, a.slug, a.name, (select count(*) from users u where u.account_id = a.id)::int as users, a.created_at
    from accounts a order by a.id`.execute(db);
  return r.rows;
}
