import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { getUser } from '../users/users.ts';

export const AwardPointsSchema = z.object({
  user: z.union([z.number().int().positive(), z.string().min(1)]).describe('user id or email'),
  points: z.number().int().refine((n) => n !== 0, 'points cannot be 0'),
  reason: z.string().trim().min(1).max(200),
  trainingId: z.number().int().positive().nullable().optional(),
});

/** Awards (or, negative, takes back) gamification points. */
export async function awardPoints(db: Database, accountId: number, a: z.infer<typeof AwardPointsSchema>) {
  const u = await getUser(db, accountId, a.user);
  return db.insertInto('gamification_points').values({ account_id: accountId, user_id: u.id, points: a.points, reason: a.reason, training_id: a.trainingId ?? null })
    .returning(['id', 'points', 'reason', 'awarded_at']).executeTakeFirstOrThrow();
}

/** Total points per learner, best first. */
export async function leaderboard(db: Database, accountId: number, limit = 20) {
  const rows = await db.selectFrom('gamification_points as p').innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.id', 'u.email', 'u.name']).select((eb) => eb.fn.sum<number>('p.points').as('total'))
    .where('p.account_id', '=', accountId).where('u.state', '<>', 'deleted')
    .groupBy(['u.id', 'u.email', 'u.name']).orderBy('total', 'desc').orderBy('u.id').limit(limit).execute();
  return rows.map((r) => ({ userId: r.id, email: r.email, name: r.name, points: Number(r.total) }));
}

/** A learner's points: total and the latest entries. */
export async function pointsOf(db: Database, accountId: number, userId: number) {
  const rows = await db.selectFrom('gamification_points').select(['id', 'points', 'reason', 'training_id', 'awarded_at']).where('account_id', '=', accountId).where('user_id', '=', userId)
    .orderBy('awarded_at', 'desc').orderBy('id', 'desc').limit(100).execute();
  const total = await db.selectFrom('gamification_points').select((eb) => eb.fn.sum<number>('points').as('t')).where('account_id', '=', accountId).where('user_id', '=', userId).executeTakeFirst();
  return { total: Number(total?.t ?? 0), entries: rows.map((r) => ({ id: r.id, points: r.points, reason: r.reason, trainingId: r.training_id, awardedAt: r.awarded_at })) };
}
