import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { getAccount } from './accounts.ts';

export const AccountViewSchema = z.object({ id: z.number(), name: z.string(), slug: z.string(), learningPathsEnabled: z.boolean(), createdAt: z.date() });
export const AccountPatchSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  learningPathsEnabled: z.boolean().optional().describe('the "Learning Path" option: reports include learning paths when on'),
});

/** The account as the admin API shows it. */
export async function accountView(db: Database, id: number) {
  const a = await getAccount(db, id);
  return { id: a.id, name: a.name, slug: a.slug, learningPathsEnabled: a.learning_paths_enabled, createdAt: a.created_at };
}

/** Renames the account or switches its learning-path option. */
export async function updateAccount(db: Database, id: number, p: z.infer<typeof AccountPatchSchema>) {
  const set: Record<string, unknown> = {};
  if (p.name !== undefined) set.name = p.name;
  if (p.learningPathsEnabled !== undefined) set.learning_paths_enabled = p.learningPathsEnabled;
  if (Object.keys(set).length) await db.updateTable('accounts').set(set).where('id', '=', id).execute();
  return accountView(db, id);
}
