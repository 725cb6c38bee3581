import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { getUser } from '../users/users.ts';
import { assertUsableLevels } from './skills.ts';

export const NewAchievementSchema = z.object({
  user: z.union([z.number().int().positive(), z.string().min(1)]).describe('user id or email'),
  skillLevelId: z.number().int().positive(),
  credits: z.number().min(0).default(0),
  achievedAt: z.coerce.date().optional(),
  trainingId: z.number().int().positive().nullable().optional(),
});

export const AchievementViewSchema = z.object({
  id: z.number(), userId: z.number(), email: z.string(), skill: z.string(), skillRetired: z.boolean(), level: z.number(), levelName: z.string(),
  credits: z.number(), achievedAt: z.date(), trainingId: z.number().nullable(),
});

/** Records that a learner reached a skill level (credits, date). */
export async function recordAchievement(db: Database, accountId: number, a: z.infer<typeof NewAchievementSchema>) {
  const u = await getUser(db, accountId, a.user);
  await assertUsableLevels(db, accountId, [a.skillLevelId], 'body');
  const r = await db.insertInto('skill_achievements').values({ account_id: accountId, user_id: u.id, skill_level_id: a.skillLevelId, credits: a.credits, achieved_at: a.achievedAt, training_id: a.trainingId ?? null })
    .returning('id').executeTakeFirstOrThrow();
  return (await listAchievements(db, accountId, { id: r.id }))[0];
}

/** Achievements of the account (by learner), newest first. */
export async function listAchievements(db: Database, accountId: number, q: { userId?: number; id?: number; limit?: number; offset?: number } = {}) {
  let query = db.selectFrom('skill_achievements as a').innerJoin('users as u', 'u.id', 'a.user_id').innerJoin('skill_levels as l', 'l.id', 'a.skill_level_id').innerJoin('skills as s', 's.id', 'l.skill_id')
    .select(['a.id', 'a.user_id', 'u.email', 's.name as skill', 's.retired', 'l.level', 'l.name as level_name', 'a.credits', 'a.achieved_at', 'a.training_id'])
    .where('a.account_id', '=', accountId);
  if (q.userId) query = query.where('a.user_id', '=', q.userId);
  if (q.id) query = query.where('a.id', '=', q.id);
  const rows = await query.orderBy('a.achieved_at', 'desc').orderBy('a.id', 'desc').limit(q.limit ?? 100).offset(q.offset ?? 0).execute();
  return rows.map((r) => ({ id: r.id, userId: r.user_id, email: r.email, skill: r.skill, skillRetired: r.retired, level: r.level, levelName: r.level_name, credits: r.credits, achievedAt: r.achieved_at, trainingId: r.training_id }));
}
