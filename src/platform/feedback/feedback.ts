import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { EnrollmentErrors } from '../errors.ts';
import { trainingIdOf } from '../trainings/trainings.ts';

export const FeedbackSchema = z.object({
  trainingId: z.number().int().positive(),
  stars: z.number().int().min(1).max(5).describe('1 to 5'),
  comment: z.string().max(5000).optional(),
});
export type NewFeedback = z.infer<typeof FeedbackSchema>;

export const FeedbackViewSchema = z.object({ id: z.number(), userId: z.number(), email: z.string(), trainingId: z.number(), loId: z.string(), stars: z.number(), comment: z.string(), createdAt: z.date() });

/**
 * A learner rates a training they are enrolled in: 1-5 stars and a comment. One per learner per training:
 * rating again replaces the earlier rating.
 */
export async function giveFeedback(db: Database, accountId: number, userId: number, f: NewFeedback) {
  const trainingId = await trainingIdOf(db, accountId, f.trainingId);
  const enrolled = await db.selectFrom('enrollments').select('id').where('user_id', '=', userId).where('training_id', '=', trainingId).where('status', '<>', 'unenrolled').executeTakeFirst();
  if (!enrolled) throw EnrollmentErrors.NOT_ENROLLED.create({ field: 'trainingId' });
  const r = await sql<{ id: number }>`
    insert into feedback (account_id, user_id, training_id, stars, comment)
    values (${accountId}, ${userId}, ${trainingId}, ${f.stars}, ${f.comment ?? ''})
    on conflict (user_id, training_id) do update set stars = excluded.stars, comment = excluded.comment, created_at = now()
    returning id`.execute(db);
  return (await listFeedback(db, accountId, { id: r.rows[0].id }))[0];
}

/** Feedback of the account, by training or learner. */
export async function listFeedback(db: Database, accountId: number, q: { trainingId?: number; userId?: number; id?: number; limit?: number; offset?: number } = {}) {
  let query = db.selectFrom('feedback as f').innerJoin('users as u', 'u.id', 'f.user_id').innerJoin('trainings as t', 't.id', 'f.training_id')
    .select(['f.id', 'f.user_id', 'u.email', 'f.training_id', 't.lo_id', 'f.stars', 'f.comment', 'f.created_at']).where('f.account_id', '=', accountId);
  if (q.trainingId) query = query.where('f.training_id', '=', q.trainingId);
  if (q.userId) query = query.where('f.user_id', '=', q.userId);
  if (q.id) query = query.where('f.id', '=', q.id);
  const rows = await query.orderBy('f.id').limit(q.limit ?? 100).offset(q.offset ?? 0).execute();
  return rows.map((r) => ({ id: r.id, userId: r.user_id, email: r.email, trainingId: r.training_id, loId: r.lo_id, stars: r.stars, comment: r.comment, createdAt: r.created_at }));
}
