import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import type { Catalog } from './seed-catalog.ts';
import { insertJson, sqlRand } from './seed-sql.ts';

const COLS = 'account_id, user_id, training_id, instance_id, status, progress, score, enrolled_at, started_at, completed_at, unenrolled_at, time_spent_seconds, updated_at';

/**
 * A lateral subquery giving an enrollment's status and dates from a key: 30% not started, 30% in progress,
 * 35% completed, 5% unenrolled; dates in the two years before `base`, in order (enrolled <= started <= completed).
 */
function lifecycle(seed: number, key: string, salt: number, base: Date): string {
  const R = (k: number) => sqlRand(seed, salt + k, key);
  return `cross join lateral (select
      case when ${R(1)} < 0.30 then 'not_started' when ${R(1)} < 0.60 then 'in_progress' when ${R(1)} < 0.95 then 'completed' else 'unenrolled' end as st,
      timestamptz '${base.toISOString()}' - floor(${R(2)} * 720) * interval '1 day' - floor(${R(3)} * 86400) * interval '1 second' as enr) l1
    cross join lateral (select
      case when l1.st in ('in_progress', 'completed') or (l1.st = 'unenrolled' and ${R(4)} < 0.5) then l1.enr + floor(${R(5)} * 30) * interval '1 day' + floor(${R(6)} * 36000) * interval '1 second' end as sta) l2
    cross join lateral (select
      case when l1.st = 'completed' then l2.sta + (1 + floor(${R(7)} * 60)) * interval '1 day' end as comp,
      case when l1.st = 'unenrolled' then coalesce(l2.sta, l1.enr) + (1 + floor(${R(8)} * 90)) * interval '1 day' end as unen,
      case l1.st when 'completed' then 100 when 'in_progress' then 1 + floor(${R(9)} * 99)::int when 'not_started' then 0 else floor(${R(9)} * 60)::int end as prog,
      case when l1.st = 'completed' then 50 + floor(${R(10)} * 51)::int end as score,
      case when l1.st = 'not_started' then 0 else 60 + floor(${R(11)} * (case when l1.st = 'completed' then 14400 else 3600 end))::int end as spent) l3`;
}

export interface EnrollmentCounts {
  learningPathEnrollments: number;
  viaPathEnrollments: number;
  directEnrollments: number;
}

/**
 * Enrollments, set-based. First learning paths (one in ten users, at most a twentieth of the budget) with
 * their courses, which remember the path (via_enrollment_id) and follow its status; then direct
 * enrollments in courses and certifications: enrollment e goes to user e mod n, to a distinct training per
 * user. A direct enrollment that would repeat a path's course is skipped (ON CONFLICT), so the total may
 * come out a little under the target.
 */
export async function seedEnrollments(trx: Transaction<DB>, accountId: number, seed: number, n: number, ubase: number, target: number, cat: Catalog, base: Date): Promise<EnrollmentCounts> {
  const L = cat.lpIds.length;
  const P = Math.max(0, Math.min(Math.floor((n + 6) / 10), Math.floor(target / 20)));
  let via = 0;
  if (P > 0 && L > 0) {
    const lp = `(array[${cat.lpIds.join(',')}])[1 + floor(${sqlRand(seed, 200, 'j')} * ${L})::int]`;
    const lpInst = `(array[${cat.lpInstanceIds.join(',')}])[1 + floor(${sqlRand(seed, 200, 'j')} * ${L})::int]`;
    const text = `
      with parents as (
        insert into enrollments (${COLS})
        select ${accountId}, ${ubase} + (3 + 10 * j) - 1, ${lp}, ${lpInst}, l1.st,
          case l1.st when 'completed' then 100 when 'in_progress' then 40 else 0 end, l3.score, l1.enr, l2.sta, l3.comp, l3.unen, l3.spent,
          greatest(l1.enr, l2.sta, l3.comp, l3.unen)
        from generate_series(0, ${P - 1}) j
        ${lifecycle(seed, 'j', 210, base)}
        returning id, user_id, training_id, status, progress, score, enrolled_at, started_at, completed_at, unenrolled_at)
      insert into enrollments (${COLS}, via_enrollment_id)
      select ${accountId}, p.user_id, ti.child_id, ii.id, c.st,
        case c.st when 'completed' then 100 when 'in_progress' then 50 when 'unenrolled' then p.progress else 0 end,
        case when c.st = 'completed' then coalesce(p.score, 70) end,
        p.enrolled_at,
        case when c.st in ('completed', 'in_progress') then coalesce(p.started_at, p.enrolled_at) + (ti.position - 1) * interval '1 hour' end,
        case when c.st = 'completed' then coalesce(p.completed_at, p.started_at + interval '2 days') - (10 - ti.position) * interval '1 minute' end,
        p.unenrolled_at,
        case c.st when 'not_started' then 0 else 600 * ti.position end,
        greatest(p.enrolled_at, p.started_at, p.completed_at, p.unenrolled_at),
        p.id
      from parents p
      join training_items ti on ti.parent_id = p.training_id
      join training_instances ii on ii.training_id = ti.child_id and ii.is_default
      cross join lateral (select case
        when p.status in ('completed', 'not_started', 'unenrolled') then p.status
        when ti.position = 1 then 'completed' when ti.position = 2 then 'in_progress' else 'not_started' end as st) c`;
    const r = await sql.raw(text).execute(trx);
    via = Number(r.numAffectedRows ?? 0);
  }
  const lpCount = P > 0 && L > 0 ? P : 0;

  const Td = cat.directIds.length;
  const D = Math.max(0, target - lpCount - via);
  if (D > n * Td) throw new Error(`--enrollments ${target} is more than ${n} users x ${Td} trainings allow`);
  let direct = 0;
  if (D > 0) {
    await sql`create temp table seed_direct (t int primary key, training_id bigint, instance_id bigint) on commit drop`.execute(trx);
    await insertJson(trx, 'seed_direct', { t: 'int', training_id: 'bigint', instance_id: 'bigint' }, cat.directIds.map((id, t) => ({ t, training_id: id, instance_id: cat.directInstanceIds[t] })));
    const text = `
      insert into enrollments (${COLS})
      select ${accountId}, ${ubase} + s.u - 1, d.training_id, d.instance_id, l1.st, l3.prog, l3.score, l1.enr, l2.sta, l3.comp, l3.unen, l3.spent,
        greatest(l1.enr, l2.sta, l3.comp, l3.unen)
      from (select e, e % ${n} + 1 as u, e / ${n} as k from generate_series(0::bigint, ${D - 1}::bigint) e) s
      join seed_direct d on d.t = ((floor(${sqlRand(seed, 300, 's.u')} * ${Td})::bigint + s.k) % ${Td})::int
      ${lifecycle(seed, 's.e', 310, base)}
      on conflict (user_id, instance_id) do nothing`;
    const r = await sql.raw(text).execute(trx);
    direct = Number(r.numAffectedRows ?? 0);
  }
  return { learningPathEnrollments: lpCount, viaPathEnrollments: via, directEnrollments: direct };
}

/**
 * From completed enrollments: skill achievements (the training's skill level and credits, on the
 * completion date), feedback (3 in 10, mostly 4-5 stars), gamification points (completions and feedback).
 * Keys are relative to the account's first user and training, so they do not depend on absolute ids.
 */
export async function seedOutcomes(trx: Transaction<DB>, accountId: number, seed: number, ubase: number, tbase: number) {
  const key = `((e.user_id - ${ubase}) * 10007 + (e.training_id - ${tbase}))`;
  const ach = await sql.raw(`
    insert into skill_achievements (account_id, user_id, skill_level_id, credits, achieved_at, training_id)
    select ${accountId}, e.user_id, ts.skill_level_id, ts.credits, e.completed_at, e.training_id
    from enrollments e join training_skills ts on ts.training_id = e.training_id
    where e.account_id = ${accountId} and e.status = 'completed'`).execute(trx);
  const fb = await sql.raw(`
    insert into feedback (account_id, user_id, training_id, stars, comment, created_at)
    select ${accountId}, e.user_id, e.training_id,
      case when ${sqlRand(seed, 401, key)} < 0.05 then 1 when ${sqlRand(seed, 401, key)} < 0.12 then 2 when ${sqlRand(seed, 401, key)} < 0.3 then 3
           when ${sqlRand(seed, 401, key)} < 0.65 then 4 else 5 end,
      case when ${sqlRand(seed, 402, key)} < 0.3 then (array['Very useful.','Too long.','Clear examples.','Would recommend.','Could use more exercises.'])[1 + floor(${sqlRand(seed, 403, key)} * 5)::int] else '' end,
      e.completed_at + interval '1 hour'
    from enrollments e
    where e.account_id = ${accountId} and e.status = 'completed' and e.via_enrollment_id is null and ${sqlRand(seed, 400, key)} < 0.3
    on conflict (user_id, training_id) do nothing`).execute(trx);
  const pts = await sql.raw(`
    insert into gamification_points (account_id, user_id, points, reason, training_id, awarded_at)
    select ${accountId}, e.user_id, 10 * (1 + floor(${sqlRand(seed, 500, key)} * 10))::int, 'training_completed', e.training_id, e.completed_at
    from enrollments e where e.account_id = ${accountId} and e.status = 'completed'
    union all
    select ${accountId}, f.user_id, 5, 'feedback_given', f.training_id, f.created_at from feedback f where f.account_id = ${accountId}`).execute(trx);
  return { skillAchievements: Number(ach.numAffectedRows ?? 0), feedback: Number(fb.numAffectedRows ?? 0), gamificationPoints: Number(pts.numAffectedRows ?? 0) };
}
