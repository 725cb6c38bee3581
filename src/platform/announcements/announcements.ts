import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { AnnouncementErrors } from './errors.ts';

export const NewAnnouncementSchema = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(5000).optional(),
  startsAt: z.coerce.date().optional().describe('shown from (default: now)'),
  endsAt: z.coerce.date().nullable().optional().describe('shown until (default: until deleted)'),
});
export type NewAnnouncement = z.infer<typeof NewAnnouncementSchema>;

export const AnnouncementSchema = z.object({ id: z.number(), title: z.string(), body: z.string(), startsAt: z.date(), endsAt: z.date().nullable(), createdAt: z.date() });

const view = (r: { id: number; title: string; body: string; starts_at: Date; ends_at: Date | null; created_at: Date }) => ({
  id: r.id, title: r.title, body: r.body, startsAt: r.starts_at, endsAt: r.ends_at, createdAt: r.created_at,
});

/**
 * An admin's announcement to the account's learners (the Salesforce app shows them as mastheads).
 * @example await createAnnouncement(db, { accountId, userId }, { title: 'New compliance course' })
 */
export async function createAnnouncement(db: Database, actor: { accountId: number; userId: number }, a: NewAnnouncement) {
  const startsAt = a.startsAt ?? new Date();
  if (a.endsAt && a.endsAt <= startsAt) throw AnnouncementErrors.BAD_PERIOD.create({ field: 'endsAt' });
  const r = await db.insertInto('announcements').values({ account_id: actor.accountId, title: a.title, body: a.body ?? '', starts_at: startsAt, ends_at: a.endsAt ?? null, created_by: actor.userId })
    .returningAll().executeTakeFirstOrThrow();
  return view(r);
}

/** Every announcement of the account, newest first (for admins). */
export async function listAnnouncements(db: Database, accountId: number) {
  return (await db.selectFrom('announcements').selectAll().where('account_id', '=', accountId).orderBy('starts_at', 'desc').orderBy('id', 'desc').execute()).map(view);
}

/** The announcements shown now (started, not ended), newest first (for learners). */
export async function currentAnnouncements(db: Database, accountId: number, now: Date) {
  const rows = await db.selectFrom('announcements').selectAll().where('account_id', '=', accountId).where('starts_at', '<=', now)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)])).orderBy('starts_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(view);
}

export async function deleteAnnouncement(db: Database, accountId: number, id: number): Promise<void> {
  const r = await db.deleteFrom('announcements').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw AnnouncementErrors.NOT_FOUND.create(String(id));
}
