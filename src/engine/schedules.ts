import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { openConnection } from './connections.ts';
import { ConnectorErrors, ScheduleErrors } from './errors.ts';
import { isValidZone, nextSlotAfter, type ScheduleSpec } from './schedule-math.ts';

export interface ScheduleInput {
  enabled: boolean;
  /** 'YYYY-MM-DDTHH:mm' local to timeZone. */
  startLocal: string;
  timeZone: string;
  every: number;
  unit: 'days' | 'hours';
}

export interface ScheduleView extends ScheduleInput {
  nextDueAt: Date | null;
  lastSlotAt: Date | null;
}

type Row = { enabled: boolean; start_local: string; time_zone: string; every_n: number; unit: 'days' | 'hours'; next_due_at: Date | null; last_slot_at: Date | null };
const toView = (r: Row): ScheduleView => ({ enabled: r.enabled, startLocal: r.start_local, timeZone: r.time_zone, every: r.every_n, unit: r.unit, nextDueAt: r.next_due_at, lastSlotAt: r.last_slot_at });
export const specOf = (r: Pick<Row, 'start_local' | 'time_zone' | 'every_n' | 'unit'>): ScheduleSpec => ({ startLocal: r.start_local, timeZone: r.time_zone, every: r.every_n, unit: r.unit });

/** The schedule of a connection's action, or null when it has none. */
export async function getSchedule(ctx: AppContext, accountId: number, connectionId: number, actionId: string): Promise<ScheduleView | null> {
  await openConnection(ctx, accountId, connectionId);
  const r = await ctx.db.selectFrom('schedules').selectAll().where('connection_id', '=', connectionId).where('action_id', '=', actionId).where('account_id', '=', accountId).executeTakeFirst();
  return r ? toView(r) : null;
}

/**
 * Sets the schedule. The next slot is the first one after now: setting a schedule whose start is in the
 * past does not run the past slots.
 * @example await putSchedule(ctx, 1, 7, 'import-users', { enabled: true, startLocal: '2026-03-01T02:30', timeZone: 'Europe/Paris', every: 1, unit: 'days' })
 */
export async function putSchedule(ctx: AppContext, accountId: number, connectionId: number, actionId: string, s: ScheduleInput, now = ctx.clock.now()): Promise<ScheduleView> {
  const { connector } = await openConnection(ctx, accountId, connectionId);
  const action = connector.actions.find((a) => a.id === actionId);
  if (!action) throw ConnectorErrors.ACTION_NOT_FOUND.create({ detail: `${connector.id}/${actionId}`, field: 'actionId' });
  if (!isValidZone(s.timeZone)) throw ScheduleErrors.BAD_TIME_ZONE.create({ field: 'timeZone', detail: s.timeZone });
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s.startLocal)) throw ScheduleErrors.INVALID.create({ field: 'startLocal', detail: 'expected YYYY-MM-DDTHH:mm' });
  if (!Number.isInteger(s.every) || s.every < 1) throw ScheduleErrors.INVALID.create({ field: 'every', detail: 'a whole number ≥ 1' });
  if (!action.scheduleUnits.includes(s.unit)) throw ScheduleErrors.UNIT_NOT_ALLOWED.create({ field: 'unit', detail: `${actionId} repeats in ${action.scheduleUnits.join(' or ') || 'no unit (not schedulable)'}` });
  const spec: ScheduleSpec = { startLocal: s.startLocal, timeZone: s.timeZone, every: s.every, unit: s.unit };
  let next: Date;
  try {
    next = nextSlotAfter(spec, now);
  } catch (e) {
    throw ScheduleErrors.INVALID.create({ field: 'startLocal', detail: (e as Error).message });
  }
  const values = { enabled: s.enabled, start_local: s.startLocal, time_zone: s.timeZone, every_n: s.every, unit: s.unit, next_due_at: next };
  const r = await ctx.db
    .insertInto('schedules')
    .values({ connection_id: connectionId, action_id: actionId, account_id: accountId, ...values })
    .onConflict((oc) => oc.columns(['connection_id', 'action_id']).doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toView(r);
}

export async function deleteSchedule(ctx: AppContext, accountId: number, connectionId: number, actionId: string): Promise<void> {
  await ctx.db.deleteFrom('schedules').where('connection_id', '=', connectionId).where('action_id', '=', actionId).where('account_id', '=', accountId).execute();
}
