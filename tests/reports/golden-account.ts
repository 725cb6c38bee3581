import type { AppContext } from '../../src/app-context.ts';

/**
 * A small hand-built account for the report golden files (direct inserts with fixed dates, so ids and
 * values are the same on every run). The date range the goldens use is [2026-03-01, 2026-04-01).
 * It covers: a course inside a learning path and the same course taken alone; a record at the start edge
 * (included) and at the end edge (excluded) for each status; unenrolled learners; a retired skill;
 * feedback averages; active fields (one named with a comma) with commas, quotes and non-ASCII values.
 */
export const RANGE = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };

export async function buildGoldenAccount(ctx: AppContext): Promise<{ accountId: number }> {
  const db = ctx.db;
  const at = (s: string) => new Date(s);
  const account = await db.insertInto('accounts').values({ name: 'Golden', slug: 'golden', created_at: at('2026-01-01T00:00:00Z') }).returning('id').executeTakeFirstOrThrow();
  const accountId = account.id;
  await db.insertInto('active_fields').values([
    { account_id: accountId, name: 'Department', kind: 'csv', groupable: true },
    { account_id: accountId, name: 'Office, Building', kind: 'manual' },
  ]).execute();
  const user = async (email: string, name: string, extra: Record<string, unknown> = {}) =>
    (await db
      .insertInto('users')
      .values({ account_id: accountId, email, name, created_at: at('2026-01-02T08:00:00Z'), updated_at: at('2026-01-02T08:00:00Z'), ...extra } as never)
      .returning('id')
      .executeTakeFirstOrThrow()).id;
  const ana = await user('ana@golden.test', 'Ana Müller', {
    fields: JSON.stringify({ Department: 'R&D, "Core"', 'Office, Building': 'Zürich — Bâtiment 2' }),
    roles: ['learner', 'manager', 'integration_admin'],
  });
  const bo = await user('bo@golden.test', "Bo O'Brien", { manager_id: ana, fields: JSON.stringify({ Department: 'Sales' }) });
  const chen = await user('chen@golden.test', '陈 Chen', { user_type: 'external', fields: JSON.stringify({ Department: 'Support\nNight shift' }) });
  const dee = await user('dee@golden.test', 'Dee Left', { state: 'suspended', manager_id: ana });

  const training = async (lo_id: string, type: 'course' | 'learning_path' | 'certification', name: string) =>
    (await db.insertInto('trainings').values({ account_id: accountId, lo_id, type, name, author: 'Author, A.', duration_minutes: 30 }).returning('id').executeTakeFirstOrThrow()).id;
  const c1 = await training('course:1001', 'course', 'Safety 101');
  const c2 = await training('course:1002', 'course', 'First Aid');
  const lp = await training('learningProgram:2001', 'learning_path', 'Onboarding Path');
  const cert = await training('certification:3001', 'certification', 'Certified Safe');
  await db.insertInto('training_items').values([
    { parent_id: lp, child_id: c1, position: 1 },
    { parent_id: lp, child_id: c2, position: 2 },
    { parent_id: cert, child_id: c1, position: 1 },
  ]).execute();
  const instance = async (training_id: number, name: string) =>
    (await db.insertInto('training_instances').values({ training_id, name, is_default: name === 'Default' }).returning('id').executeTakeFirstOrThrow()).id;
  const i = { c1: await instance(c1, 'Default'), c1Evening: await instance(c1, 'Evening, "late"'), c2: await instance(c2, 'Default'), lp: await instance(lp, 'Default'), cert: await instance(cert, 'Default') };

  const skill = async (name: string, retired: boolean) => (await db.insertInto('skills').values({ account_id: accountId, name, retired }).returning('id').executeTakeFirstOrThrow()).id;
  const safety = await skill('Safety', false);
  const old = await skill('Old Skill', true);
  const level = async (skill_id: number, lvl: number, name: string, max_credits: number) =>
    (await db.insertInto('skill_levels').values({ skill_id, level: lvl, name, max_credits }).returning('id').executeTakeFirstOrThrow()).id;
  const safety1 = await level(safety, 1, 'Basic', 10);
  const safety2 = await level(safety, 2, 'Advanced', 20);
  const old1 = await level(old, 1, 'Legacy', 5);
  await db.insertInto('training_skills').values([
    { training_id: c1, skill_level_id: safety1, credits: 2 },
    { training_id: c1, skill_level_id: old1, credits: 1 },
    { training_id: cert, skill_level_id: safety2, credits: 5.5 },
  ]).execute();

  const enroll = async (v: Record<string, unknown>) =>
    (await db.insertInto('enrollments').values({ account_id: accountId, ...v } as never).returning('id').executeTakeFirstOrThrow()).id;
  // Ana: the learning path, and its two courses through it.
  const anaLp = await enroll({ user_id: ana, training_id: lp, instance_id: i.lp, status: 'in_progress', progress: 50, enrolled_at: at('2026-03-01T00:00:00Z'), started_at: at('2026-03-02T09:00:00Z'), updated_at: at('2026-03-10T12:00:00Z') });
  await enroll({ user_id: ana, training_id: c1, instance_id: i.c1, via_enrollment_id: anaLp, status: 'completed', progress: 100, score: 90.5, time_spent_seconds: 1200, enrolled_at: at('2026-03-01T00:00:00Z'), started_at: at('2026-03-02T09:00:00Z'), completed_at: at('2026-03-05T10:30:00Z'), updated_at: at('2026-03-05T10:30:00Z') });
  await enroll({ user_id: ana, training_id: c2, instance_id: i.c2, via_enrollment_id: anaLp, status: 'in_progress', progress: 20, time_spent_seconds: 300, enrolled_at: at('2026-03-01T00:00:00Z'), started_at: at('2026-03-06T09:00:00Z'), updated_at: at('2026-03-31T23:59:59Z') });
  // Bo: the same course alone (completed exactly at the end of the range: outside), and one not started.
  await enroll({ user_id: bo, training_id: c1, instance_id: i.c1Evening, status: 'completed', progress: 100, score: 75, time_spent_seconds: 900, enrolled_at: at('2026-03-20T00:00:00Z'), started_at: at('2026-03-21T00:00:00Z'), completed_at: at('2026-04-01T00:00:00Z'), updated_at: at('2026-04-01T00:00:00Z') });
  await enroll({ user_id: bo, training_id: c2, instance_id: i.c2, status: 'not_started', enrolled_at: at('2026-03-15T08:00:00Z'), updated_at: at('2026-03-15T08:00:00Z') });
  // Chen: completed exactly at the start of the range (inside); not started just before it (outside); an in-progress certification untouched in the range.
  await enroll({ user_id: chen, training_id: c1, instance_id: i.c1, status: 'completed', progress: 100, score: 100, time_spent_seconds: 600, enrolled_at: at('2026-02-20T00:00:00Z'), started_at: at('2026-02-21T00:00:00Z'), completed_at: at('2026-03-01T00:00:00Z'), updated_at: at('2026-03-01T00:00:00Z') });
  await enroll({ user_id: chen, training_id: c2, instance_id: i.c2, status: 'not_started', enrolled_at: at('2026-02-28T23:59:59Z'), updated_at: at('2026-02-28T23:59:59Z') });
  await enroll({ user_id: chen, training_id: cert, instance_id: i.cert, status: 'in_progress', progress: 10, enrolled_at: at('2026-02-01T00:00:00Z'), started_at: at('2026-02-02T00:00:00Z'), updated_at: at('2026-02-15T00:00:00Z') });
  // Dee: unenrolled inside the range, and unenrolled exactly at its end (outside).
  await enroll({ user_id: dee, training_id: c1, instance_id: i.c1, status: 'unenrolled', enrolled_at: at('2026-02-01T00:00:00Z'), unenrolled_at: at('2026-03-20T00:00:00Z'), updated_at: at('2026-03-20T00:00:00Z') });
  await enroll({ user_id: dee, training_id: cert, instance_id: i.cert, status: 'unenrolled', enrolled_at: at('2026-02-01T00:00:00Z'), unenrolled_at: at('2026-04-01T00:00:00Z'), updated_at: at('2026-04-01T00:00:00Z') });

  await db.insertInto('skill_achievements').values([
    { account_id: accountId, user_id: ana, skill_level_id: safety1, credits: 2, achieved_at: at('2026-03-05T10:30:00Z'), training_id: c1 },
    { account_id: accountId, user_id: ana, skill_level_id: old1, credits: 1, achieved_at: at('2026-03-05T10:30:00Z'), training_id: c1 },
    { account_id: accountId, user_id: chen, skill_level_id: safety1, credits: 2, achieved_at: at('2026-03-01T00:00:00Z'), training_id: c1 },
    { account_id: accountId, user_id: bo, skill_level_id: safety1, credits: 2, achieved_at: at('2026-04-01T00:00:00Z'), training_id: c1 },
    { account_id: accountId, user_id: chen, skill_level_id: safety2, credits: 7.25, achieved_at: at('2026-03-31T23:59:59Z'), training_id: null },
  ]).execute();
  await db.insertInto('feedback').values([
    { account_id: accountId, user_id: ana, training_id: c1, stars: 5, comment: 'Great, "really" — très bien', created_at: at('2026-03-06T00:00:00Z') },
    { account_id: accountId, user_id: chen, training_id: c1, stars: 4, comment: '', created_at: at('2026-03-02T00:00:00Z') },
    { account_id: accountId, user_id: bo, training_id: c1, stars: 2, comment: 'before the range', created_at: at('2026-02-01T00:00:00Z') },
    { account_id: accountId, user_id: ana, training_id: lp, stars: 3, comment: 'multi\nline', created_at: at('2026-03-07T00:00:00Z') },
  ]).execute();
  await db.insertInto('gamification_points').values([
    { account_id: accountId, user_id: ana, points: 100, reason: 'Completed Safety 101', training_id: c1, awarded_at: at('2026-03-05T10:30:00Z') },
    { account_id: accountId, user_id: chen, points: 50, reason: 'Daily login', training_id: null, awarded_at: at('2026-03-02T00:00:00Z') },
    { account_id: accountId, user_id: bo, points: 10, reason: 'Outside', training_id: null, awarded_at: at('2026-04-01T00:00:00Z') },
  ]).execute();
  // Another account's data must never leak into these reports.
  const other = await db.insertInto('accounts').values({ name: 'Other', slug: 'other' }).returning('id').executeTakeFirstOrThrow();
  const ou = await db.insertInto('users').values({ account_id: other.id, email: 'x@other.test', name: 'Other User' }).returning('id').executeTakeFirstOrThrow();
  const ot = await db.insertInto('trainings').values({ account_id: other.id, lo_id: 'course:1001', type: 'course', name: 'Other course' }).returning('id').executeTakeFirstOrThrow();
  const oi = await db.insertInto('training_instances').values({ training_id: ot.id, name: 'Default' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('enrollments').values({ account_id: other.id, user_id: ou.id, training_id: ot.id, instance_id: oi.id, status: 'completed', completed_at: at('2026-03-10T00:00:00Z'), updated_at: at('2026-03-10T00:00:00Z') }).execute();
  return { accountId };
}
