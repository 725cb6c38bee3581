import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';

const ACTION = 'import-users';

/**
 * Remembers the column names of the files a user import read, beside its mapping: the mapping page offers
 * them, so a new active field can be mapped after a successful import deleted its files, without uploading
 * the template again. Only this key of the saved options is written (an admin may be editing the rest).
 */
export async function rememberSourceColumns(ctx: AppContext, connectionId: number, columns: string[]): Promise<void> {
  await ctx.db.updateTable('action_settings')
    .set({ options: sql`jsonb_set(options, '{sourceColumns}', ${JSON.stringify(columns)}::jsonb)` })
    .where('connection_id', '=', connectionId).where('action_id', '=', ACTION)
    .execute();
}

/**
 * How many user import mappings of the account exist (connections not deleted): each must name a new
 * active field, or the imports leave it empty. Said to the admin who adds one.
 */
export async function countUserImportMappings(ctx: AppContext, accountId: number): Promise<number> {
  const r = await ctx.db.selectFrom('action_settings as s').innerJoin('connections as c', 'c.id', 's.connection_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('c.account_id', '=', accountId).where('c.deleted_at', 'is', null).where('s.action_id', '=', ACTION)
    .where(sql<boolean>`s.options->'mapping' is not null and s.options->'mapping' <> 'null'::jsonb`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
