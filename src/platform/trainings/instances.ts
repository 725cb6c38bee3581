import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { TrainingErrors } from '../errors.ts';
import type { InstancePatchSchema, NewInstance, NewModule, NewSession } from './training-schemas.ts';
import { trainingIdOf } from './trainings.ts';

function assertTimes(s: NewSession, field: string) {
  if (s.endsAt <= s.startsAt) throw TrainingErrors.BAD_SESSION_TIMES.create({ field: `${field}.endsAt` });
}

/** An instance of a training with optional seat and waitlist limits and sessions. */
export async function createInstance(db: Database, accountId: number, trainingRef: number | string, i: NewInstance) {
  const trainingId = await trainingIdOf(db, accountId, trainingRef);
  (i.sessions ?? []).forEach((s, k) => assertTimes(s, `sessions.${k}`));
  return db.transaction().execute(async (trx) => {
    let row;
    try {
      row = await trx.insertInto('training_instances').values({ training_id: trainingId, name: i.name, seat_limit: i.seatLimit ?? null, waitlist_limit: i.waitlistLimit ?? null }).returning('id').executeTakeFirstOrThrow();
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw TrainingErrors.INSTANCE_NAME_TAKEN.create({ detail: i.name, field: 'name' });
      throw e;
    }
    for (const s of i.sessions ?? []) await insertSession(trx, row.id, s);
    return { id: row.id, trainingId };
  });
}

async function insertSession(db: Database, instanceId: number, s: NewSession) {
  return db.insertInto('training_sessions').values({ instance_id: instanceId, name: s.name, starts_at: s.startsAt, ends_at: s.endsAt, provider: s.provider ?? null, meeting: JSON.stringify(s.meeting ?? {}) })
    .returning('id').executeTakeFirstOrThrow();
}

/** The instance if it belongs to the account, with its training. */
export async function instanceOf(db: Database, accountId: number, instanceId: number) {
  const row = await db.selectFrom('training_instances as i').innerJoin('trainings as t', 't.id', 'i.training_id')
    .select(['i.id', 'i.training_id', 'i.seat_limit', 'i.waitlist_limit', 'i.state', 'i.is_default', 't.type'])
    .where('t.account_id', '=', accountId).where('i.id', '=', instanceId).executeTakeFirst();
  if (!row) throw TrainingErrors.INSTANCE_NOT_FOUND.create(String(instanceId));
  return row;
}

/** Changes an instance's name, limits, or retires it. */
export async function updateInstance(db: Database, accountId: number, instanceId: number, p: z.infer<typeof InstancePatchSchema>) {
  await instanceOf(db, accountId, instanceId);
  const set: Record<string, unknown> = {};
  if (p.name !== undefined) set.name = p.name;
  if (p.seatLimit !== undefined) set.seat_limit = p.seatLimit;
  if (p.waitlistLimit !== undefined) set.waitlist_limit = p.waitlistLimit;
  if (p.state !== undefined) set.state = p.state;
  if (Object.keys(set).length) await db.updateTable('training_instances').set(set).where('id', '=', instanceId).execute();
  return { id: instanceId };
}

/** Adds a session (classroom, or virtual classroom with provider and meeting details) to an instance. */
export async function addSession(db: Database, accountId: number, instanceId: number, s: NewSession) {
  await instanceOf(db, accountId, instanceId);
  assertTimes(s, 'body');
  return insertSession(db, instanceId, s);
}

/** Appends a module to a training (self-paced content incl. AICC, virtual classroom, classroom). */
export async function addModule(db: Database, accountId: number, trainingRef: number | string, m: NewModule) {
  const trainingId = await trainingIdOf(db, accountId, trainingRef);
  return db.transaction().execute(async (trx) => {
    const max = await trx.selectFrom('training_modules').select((eb) => eb.fn.max('position').as('p')).where('training_id', '=', trainingId).executeTakeFirst();
    return trx.insertInto('training_modules').values({
      training_id: trainingId, position: Number(max?.p ?? 0) + 1, name: m.name, kind: m.kind,
      content_type: m.kind === 'self_paced' ? (m.contentType ?? null) : null, launch_url: m.launchUrl ?? null, duration_minutes: m.durationMinutes,
    }).returning('id').executeTakeFirstOrThrow();
  });
}
