import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { EnrollmentStatus } from '../../db/schema/core.ts';
import { EnrollmentErrors, TrainingErrors } from '../errors.ts';
import { instanceOf } from '../trainings/instances.ts';
import { getUser } from '../users/users.ts';
import type { EnrollmentListQuery, EnrollmentPatch } from './enrollment-schemas.ts';

function baseQuery(db: Database, accountId: number) {
  return db.selectFrom('enrollments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .innerJoin('trainings as t', 't.id', 'e.training_id')
    .innerJoin('training_instances as i', 'i.id', 'e.instance_id')
    .select(['e.id', 'e.user_id', 'u.email', 'e.training_id', 't.lo_id', 't.name as training_name', 't.type as training_type', 'e.instance_id', 'i.name as instance_name',
      'e.status', 'e.waitlisted', 'e.progress', 'e.score', 'e.enrolled_at', 'e.started_at', 'e.completed_at', 'e.unenrolled_at', 'e.time_spent_seconds', 'e.via_enrollment_id', 'e.updated_at'])
    .where('e.account_id', '=', accountId);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;
const view = (r: Row) => ({
  id: r.id, userId: r.user_id, email: r.email, trainingId: r.training_id, loId: r.lo_id, trainingName: r.training_name, trainingType: r.training_type,
  instanceId: r.instance_id, instanceName: r.instance_name, status: r.status, waitlisted: r.waitlisted, progress: r.progress, score: r.score,
  enrolledAt: r.enrolled_at, startedAt: r.started_at, completedAt: r.completed_at, unenrolledAt: r.unenrolled_at, timeSpentSeconds: r.time_spent_seconds,
  viaEnrollmentId: r.via_enrollment_id, updatedAt: r.updated_at,
});

export async function getEnrollment(db: Database, accountId: number, id: number) {
  const r = await baseQuery(db, accountId).where('e.id', '=', id).executeTakeFirst();
  if (!r) throw EnrollmentErrors.NOT_FOUND.create(String(id));
  return view(r);
}

/** A page of enrollments (filter by learner, training, status) with the total. */
export async function listEnrollments(db: Database, accountId: number, q: EnrollmentListQuery = {}) {
  let query = baseQuery(db, accountId);
  let count = db.selectFrom('enrollments as e').where('e.account_id', '=', accountId);
  if (q.userId) { query = query.where('e.user_id', '=', q.userId); count = count.where('e.user_id', '=', q.userId); }
  if (q.trainingId) { query = query.where('e.training_id', '=', q.trainingId); count = count.where('e.training_id', '=', q.trainingId); }
  if (q.status) { query = query.where('e.status', '=', q.status); count = count.where('e.status', '=', q.status); }
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const [rows, total] = await Promise.all([
    query.orderBy('e.id').limit(limit).offset(offset).execute(),
    count.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(view), total: Number(total.n), limit, offset };
}

/**
 * Places one enrollment in an instance, honouring its seat limit (then its waitlist). An unenrolled
 * learner enrolling again is re-activated. Returns the enrollment id.
 */
async function placeOne(trx: Database, accountId: number, userId: number, instanceId: number, viaId: number | null, skipIfEnrolled: boolean): Promise<number> {
  // Serialise enrollments into one instance so seat counts hold under concurrency.
  await sql`select pg_advisory_xact_lock(7310003, ${instanceId}::int)`.execute(trx);
  const inst = await instanceOf(trx, accountId, instanceId);
  if (inst.state === 'retired') throw EnrollmentErrors.INSTANCE_RETIRED.create({ detail: String(instanceId), field: 'instanceId' });
  const existing = await trx.selectFrom('enrollments').select(['id', 'status']).where('user_id', '=', userId).where('instance_id', '=', instanceId).executeTakeFirst();
  if (existing && existing.status !== 'unenrolled') {
    if (skipIfEnrolled) return existing.id;
    throw EnrollmentErrors.ALREADY_ENROLLED.create({ detail: `enrollment ${existing.id}`, data: { enrollmentId: existing.id } });
  }
  let waitlisted = false;
  if (inst.seat_limit !== null) {
    const c = await sql<{ taken: number; waiting: number }>`
      select count(*) filter (where not waitlisted)::int as taken, count(*) filter (where waitlisted)::int as waiting
      from enrollments where instance_id = ${instanceId} and status <> 'unenrolled'`.execute(trx);
    const { taken, waiting } = c.rows[0];
    if (taken >= inst.seat_limit) {
      if (waiting >= (inst.waitlist_limit ?? 0)) throw EnrollmentErrors.FULL.create({ detail: `${taken} seats, ${waiting} waiting`, field: 'instanceId' });
      waitlisted = true;
    }
  }
  if (existing) {
    await trx.updateTable('enrollments').set({ status: 'not_started', progress: 0, score: null, enrolled_at: new Date(), started_at: null, completed_at: null, unenrolled_at: null,
      waitlisted, via_enrollment_id: viaId, updated_at: new Date() }).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const row = await trx.insertInto('enrollments').values({ account_id: accountId, user_id: userId, training_id: inst.training_id, instance_id: instanceId, waitlisted, via_enrollment_id: viaId })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Enrolls a learner in an instance (or a training's default instance). Enrolling in a learning path also
 * enrolls in each of its courses' default instances, and those course enrollments remember the path
 * (via_enrollment_id); a course the learner already follows keeps its enrollment.
 * @example await enroll(db, accountId, { user: 'ann@acme.test', trainingId: 12 })
 */
export async function enroll(db: Database, accountId: number, b: { user: number | string; trainingId?: number; instanceId?: number }) {
  const user = await getUser(db, accountId, b.user);
  const id = await db.transaction().execute(async (trx) => {
    let instanceId = b.instanceId;
    if (instanceId === undefined) {
      const def = await trx.selectFrom('training_instances as i').innerJoin('trainings as t', 't.id', 'i.training_id').select('i.id')
        .where('t.account_id', '=', accountId).where('t.id', '=', b.trainingId!).where('i.is_default', '=', true).executeTakeFirst();
      if (!def) throw TrainingErrors.NOT_FOUND.create({ detail: String(b.trainingId), field: 'trainingId' });
      instanceId = def.id;
    }
    const inst = await instanceOf(trx, accountId, instanceId);
    const parentId = await placeOne(trx, accountId, user.id, instanceId, null, false);
    if (inst.type === 'learning_path') {
      const courses = await trx.selectFrom('training_items as ti').innerJoin('training_instances as i', (j) => j.onRef('i.training_id', '=', 'ti.child_id').on('i.is_default', '=', true))
        .select('i.id').where('ti.parent_id', '=', inst.training_id).orderBy('ti.position').execute();
      for (const c of courses) await placeOne(trx, accountId, user.id, c.id, parentId, true);
    }
    return parentId;
  });
  return getEnrollment(db, accountId, id);
}

const NEXT: Record<EnrollmentStatus, EnrollmentStatus[]> = {
  not_started: ['not_started', 'in_progress', 'completed'],
  in_progress: ['in_progress', 'completed'],
  completed: ['completed'],
  unenrolled: [],
};

/**
 * Records progress: status (not started -> in progress -> completed, dates set on the way), progress,
 * score, time spent. Completing grants the training's skill credits and points; when every course of a
 * learning path is completed, the path's enrollment completes too.
 */
export async function updateEnrollment(db: Database, accountId: number, id: number, p: EnrollmentPatch) {
  await db.transaction().execute((trx) => applyUpdate(trx, accountId, id, p));
  return getEnrollment(db, accountId, id);
}

async function applyUpdate(trx: Database, accountId: number, id: number, p: EnrollmentPatch): Promise<void> {
  {
    const cur = await trx.selectFrom('enrollments').selectAll().where('account_id', '=', accountId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!cur) throw EnrollmentErrors.NOT_FOUND.create(String(id));
    const status = p.status ?? cur.status;
    if (!NEXT[cur.status].includes(status)) throw EnrollmentErrors.BAD_TRANSITION.create({ detail: `${cur.status} -> ${status}`, field: 'status' });
    const now = new Date();
    const set: Record<string, unknown> = { status, updated_at: now };
    if (p.progress !== undefined) set.progress = p.progress;
    if (p.score !== undefined) set.score = p.score;
    if (p.timeSpentSeconds !== undefined) set.time_spent_seconds = p.timeSpentSeconds;
    if (status !== 'not_started' && !cur.started_at) set.started_at = now;
    if (status === 'completed' && cur.status !== 'completed') {
      set.completed_at = now;
      set.progress = 100;
    }
    await trx.updateTable('enrollments').set(set).where('id', '=', id).execute();
    if (status === 'completed' && cur.status !== 'completed') await onCompleted(trx, accountId, id);
  }
}

async function onCompleted(trx: Database, accountId: number, id: number): Promise<void> {
  await sql`
    insert into skill_achievements (account_id, user_id, skill_level_id, credits, achieved_at, training_id)
    select e.account_id, e.user_id, ts.skill_level_id, ts.credits, e.completed_at, e.training_id
    from enrollments e join training_skills ts on ts.training_id = e.training_id where e.id = ${id}`.execute(trx);
  await sql`
    insert into gamification_points (account_id, user_id, points, reason, training_id)
    select account_id, user_id, 10, 'training_completed', training_id from enrollments where id = ${id}`.execute(trx);
  const parent = await trx.selectFrom('enrollments').select('via_enrollment_id').where('id', '=', id).executeTakeFirstOrThrow();
  if (parent.via_enrollment_id === null) return;
  // The path's progress is the share of its courses completed; all completed completes the path.
  const r = await sql<{ total: number; done: number }>`
    select count(*)::int as total, count(*) filter (where status = 'completed')::int as done
    from enrollments where via_enrollment_id = ${parent.via_enrollment_id} and status <> 'unenrolled'`.execute(trx);
  const { total, done } = r.rows[0];
  const pe = await trx.selectFrom('enrollments').select('status').where('id', '=', parent.via_enrollment_id).executeTakeFirst();
  if (!pe || pe.status === 'completed' || pe.status === 'unenrolled') return;
  if (total > 0 && done === total) {
    await applyUpdate(trx, accountId, parent.via_enrollment_id, { status: 'completed' });
  } else {
    await trx.updateTable('enrollments').set({ status: 'in_progress', progress: Math.floor((100 * done) / Math.max(total, 1)), started_at: sql`coalesce(started_at, now())`, updated_at: new Date() })
      .where('id', '=', parent.via_enrollment_id).execute();
  }
}

/** Unenrolls; unenrolling from a learning path also unenrolls its unfinished courses taken through it. */
export async function unenroll(db: Database, accountId: number, id: number) {
  await db.transaction().execute(async (trx) => {
    const cur = await trx.selectFrom('enrollments').select(['status']).where('account_id', '=', accountId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!cur) throw EnrollmentErrors.NOT_FOUND.create(String(id));
    if (cur.status === 'unenrolled') return;
    const freed = await sql<{ instance_id: number; waitlisted: boolean }>`
      update enrollments e set status = 'unenrolled', unenrolled_at = now(), updated_at = now(), waitlisted = false
      from enrollments old
      where old.id = e.id and e.account_id = ${accountId} and (e.id = ${id} or (e.via_enrollment_id = ${id} and e.status <> 'completed' and e.status <> 'unenrolled'))
      returning e.instance_id, old.waitlisted`.execute(trx);
    // A freed seat goes to the longest-waiting learner of that instance.
    for (const f of freed.rows.filter((r) => !r.waitlisted)) {
      await sql`
        update enrollments set waitlisted = false, updated_at = now()
        where id = (select id from enrollments where instance_id = ${f.instance_id} and waitlisted and status <> 'unenrolled' order by enrolled_at, id limit 1)`.execute(trx);
    }
  });
  return getEnrollment(db, accountId, id);
}
