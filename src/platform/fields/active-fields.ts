import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { FieldErrors } from '../errors.ts';
import { syncAutomaticGroups } from '../groups/sync-automatic-groups.ts';

export const NewActiveFieldSchema = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['csv', 'manual']).describe('csv: filled by imports; manual: entered by the learner'),
  groupable: z.boolean().default(false).describe('a user group is kept for each value'),
});
export type NewActiveField = z.input<typeof NewActiveFieldSchema>;

export const ActiveFieldViewSchema = z.object({ id: z.number(), name: z.string(), kind: z.enum(['csv', 'manual']), groupable: z.boolean(), createdAt: z.date() });

const view = (f: { id: number; name: string; kind: 'csv' | 'manual'; groupable: boolean; created_at: Date }) => ({
  id: f.id,
  name: f.name,
  kind: f.kind,
  groupable: f.groupable,
  createdAt: f.created_at,
});

/** Creates an active field; a group-able one gets its groups at once from the values users already hold. */
export async function createActiveField(db: Database, accountId: number, f: NewActiveField) {
  return db.transaction().execute(async (trx) => {
    let row;
    try {
      row = await trx.insertInto('active_fields').values({ account_id: accountId, name: f.name, kind: f.kind, groupable: f.groupable ?? false }).returningAll().executeTakeFirstOrThrow();
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw FieldErrors.NAME_TAKEN.create({ detail: f.name, field: 'name' });
      throw e;
    }
    if (row.groupable) await syncAutomaticGroups(trx, accountId);
    return view(row);
  });
}

export async function listActiveFields(db: Database, accountId: number) {
  const rows = await db.selectFrom('active_fields').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
  return rows.map(view);
}

/** Turns grouping on or off for a field; its groups follow. */
export async function setFieldGroupable(db: Database, accountId: number, id: number, groupable: boolean) {
  return db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('active_fields').set({ groupable }).where('account_id', '=', accountId).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw FieldErrors.NOT_FOUND.create(String(id));
    await syncAutomaticGroups(trx, accountId);
    return view(row);
  });
}

/** Deletes an active field, its values on every user and its groups (the spec: a csv field left unmapped is deleted). */
export async function deleteActiveField(db: Database, accountId: number, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('active_fields').where('account_id', '=', accountId).where('id', '=', id).returning('name').executeTakeFirst();
    if (!row) throw FieldErrors.NOT_FOUND.create(String(id));
    await sql`update users set fields = fields - ${row.name}::text, updated_at = now() where account_id = ${accountId} and fields ? ${row.name}::text`.execute(trx);
  });
}
