import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { ActionDefinition } from '../kit/define-connector.ts';
import { openConnection } from './connections.ts';
import { ConnectorErrors } from './errors.ts';

type Db = AppContext['db'];

/**
 * The state an incremental action starts from (null: none yet, or reset, or no longer valid for the action's
 * schema, e.g. after an upgrade changed it: the run then reads everything, which is always safe).
 */
export async function readActionState(db: Db, action: ActionDefinition, connectionId: number): Promise<unknown> {
  if (!action.state) return null;
  const r = await db.selectFrom('action_state').select('state').where('connection_id', '=', connectionId).where('action_id', '=', action.id).executeTakeFirst();
  if (!r) return null;
  const parsed = (action.state as z.ZodTypeAny).safeParse(r.state);
  return parsed.success ? parsed.data : null;
}

/** Commits a successful run's staged state (called inside the transaction that records the run's end). */
export async function commitActionState(db: Db, r: { accountId: number; connectionId: number; actionId: string; runId: number; state: unknown; at: Date }): Promise<void> {
  const values = { state: JSON.stringify(r.state), run_id: r.runId, updated_at: r.at };
  await db.insertInto('action_state').values({ connection_id: r.connectionId, action_id: r.actionId, account_id: r.accountId, ...values })
    .onConflict((oc) => oc.columns(['connection_id', 'action_id']).doUpdateSet(values)).execute();
}

/** What an admin sees: the state, the run that wrote it and when; null when the next run reads everything. */
export async function getActionState(ctx: AppContext, accountId: number, connectionId: number, actionId: string) {
  const { connector } = await openConnection(ctx, accountId, connectionId);
  const action = connector.actions.find((a) => a.id === actionId);
  if (!action) throw ConnectorErrors.ACTION_NOT_FOUND.create({ detail: `${connector.id}/${actionId}`, field: 'actionId' });
  const r = await ctx.db.selectFrom('action_state').select(['state', 'run_id', 'updated_at']).where('connection_id', '=', connectionId).where('action_id', '=', actionId).where('account_id', '=', accountId).executeTakeFirst();
  return { incremental: !!action.state, state: r?.state ?? null, runId: r?.run_id ?? null, updatedAt: r?.updated_at ?? null };
}

/** Forgets the state: the next run reads everything from the source. */
export async function resetActionState(ctx: AppContext, accountId: number, connectionId: number, actionId: string): Promise<void> {
  await getActionState(ctx, accountId, connectionId, actionId);
  await ctx.db.deleteFrom('action_state').where('connection_id', '=', connectionId).where('action_id', '=', actionId).where('account_id', '=', accountId).execute();
}
