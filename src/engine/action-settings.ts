import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { openConnection } from './connections.ts';
import { ConnectionErrors } from './errors.ts';

function parseOptions(schema: z.ZodTypeAny, value: unknown) {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = ['options', ...issue.path.map(String)].join('.');
    throw ConnectionErrors.INVALID_OPTIONS.create({ field, detail: `${field}: ${issue.message}` });
  }
  return r.data as Record<string, unknown>;
}

/** The saved options of a connection's action, with the action's defaults applied. */
export async function getActionOptions(ctx: AppContext, accountId: number, connectionId: number, actionId: string): Promise<Record<string, unknown>> {
  const { connector } = await openConnection(ctx, accountId, connectionId);
  const action = connector.actions.find((a) => a.id === actionId);
  if (!action) throw (await import('./errors.ts')).ConnectorErrors.ACTION_NOT_FOUND.create({ detail: `${connector.id}/${actionId}`, field: 'actionId' });
  const row = await ctx.db.selectFrom('action_settings').select('options').where('connection_id', '=', connectionId).where('action_id', '=', actionId).executeTakeFirst();
  return parseOptions(action.options as z.ZodTypeAny, row?.options ?? {});
}

/** Validates with the action's options schema and saves (replacing the previous options). */
export async function putActionOptions(ctx: AppContext, accountId: number, connectionId: number, actionId: string, options: unknown): Promise<Record<string, unknown>> {
  const { connector } = await openConnection(ctx, accountId, connectionId);
  const action = connector.actions.find((a) => a.id === actionId);
  if (!action) throw (await import('./errors.ts')).ConnectorErrors.ACTION_NOT_FOUND.create({ detail: `${connector.id}/${actionId}`, field: 'actionId' });
  const parsed = parseOptions(action.options as z.ZodTypeAny, options);
  await ctx.db
    .insertInto('action_settings')
    .values({ connection_id: connectionId, action_id: actionId, options: JSON.stringify(parsed) })
    .onConflict((oc) => oc.columns(['connection_id', 'action_id']).doUpdateSet({ options: JSON.stringify(parsed), updated_at: sql<Date>`now()` }))
    .execute();
  return parsed;
}
