import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { GroupErrors, UserErrors } from '../errors.ts';

export const GroupViewSchema = z.object({
  id: z.number(),
  kind: z.enum(['field', 'team', 'custom']),
  name: z.string(),
  fieldId: z.number().nullable(),
  fieldValue: z.string().nullable(),
  managerId: z.number().nullable(),
  memberCount: z.number(),
});

export const GroupListQuerySchema = z.object({
  kind: z.enum(['field', 'team', 'custom']).optional(),
  search: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * Groups of the account with their member counts (members of automatic groups are derived, see
 * user_group_membership). Team and custom groups are counted through the view (an index probe each); the
 * field groups of the page are counted in ONE pass over the account's users (each user's fields expanded once
 * and hashed against the page's values, the view's field predicate): a per-group count costs a heap visit
 * per member, which for large groups (1,000,000 users: up to 4,000,000 visits for a page) is far more.
 */
export async function listGroups(db: Database, accountId: number, q: Partial<z.infer<typeof GroupListQuerySchema>> = {}) {
  let query = db.selectFrom('user_groups as g').where('g.account_id', '=', accountId);
  if (q.kind) query = query.where('g.kind', '=', q.kind);
  if (q.search) query = query.where('g.name', 'ilike', `%${q.search}%`);
  const rows = await query
    .select(['g.id', 'g.kind', 'g.name', 'g.field_id', 'g.field_value', 'g.manager_id'])
    .orderBy('g.kind')
    .orderBy('g.name')
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0)
    .execute();
  const counts = new Map<number, number>();
  const fieldIds = rows.filter((g) => g.kind === 'field').map((g) => g.id);
  const otherIds = rows.filter((g) => g.kind !== 'field').map((g) => g.id);
  if (fieldIds.length) {
    const r = await sql<{ id: number; n: number }>`
      select g.id, count(*)::int as n
      from users u
      cross join lateral jsonb_each_text(u.fields) e
      join user_groups g on g.id = any(${fieldIds}::bigint[]) and g.field_value = e.value
      join active_fields f on f.id = g.field_id and f.name = e.key and f.groupable
      where u.account_id = ${accountId} and u.state <> 'deleted'
      group by g.id`.execute(db);
    for (const c of r.rows) counts.set(Number(c.id), c.n);
  }
  if (otherIds.length) {
    const r = await db
      .selectFrom('user_group_membership as m')
      .select(['m.group_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('m.group_id', 'in', otherIds)
      .groupBy('m.group_id')
      .execute();
    for (const c of r) counts.set(Number(c.group_id), Number(c.n));
  }
  return rows.map((g) => ({ id: g.id, kind: g.kind, name: g.name, fieldId: g.field_id, fieldValue: g.field_value, managerId: g.manager_id, memberCount: counts.get(g.id) ?? 0 }));
}

async function groupOf(db: Database, accountId: number, id: number) {
  const g = await db.selectFrom('user_groups').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (!g) throw GroupErrors.NOT_FOUND.create(String(id));
  return g;
}

/**
 * A page of a group's members, in user id order: the one reader of "members of group G" (field groups:
 * users holding the value; team groups: the manager's direct reports; custom groups: the stored rows).
 *
 * @example const page = await listGroupMembers(ctx.db, accountId, groupId, 100, 0);
 */
export async function listGroupMembers(db: Database, accountId: number, id: number, limit = 100, offset = 0) {
  await groupOf(db, accountId, id);
  return db
    .selectFrom('user_group_membership as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.state'])
    .where('m.group_id', '=', id)
    .orderBy('u.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/**
 * The groups a user belongs to (every kind), by kind and name: the one reader of "groups of user U".
 *
 * @example const groups = await listGroupsOfUser(ctx.db, accountId, userId);
 */
export async function listGroupsOfUser(db: Database, accountId: number, userId: number) {
  const rows = await db
    .selectFrom('user_group_membership as m')
    .innerJoin('user_groups as g', 'g.id', 'm.group_id')
    .select(['g.id', 'g.kind', 'g.name', 'g.field_id', 'g.field_value', 'g.manager_id'])
    .where('m.user_id', '=', userId)
    .where('g.account_id', '=', accountId)
    .orderBy('g.kind')
    .orderBy('g.name')
    .execute();
  return rows.map((g) => ({ id: g.id, kind: g.kind, name: g.name, fieldId: g.field_id, fieldValue: g.field_value, managerId: g.manager_id }));
}

/** Creates a custom group (automatic ones are made by syncAutomaticGroups). */
export async function createCustomGroup(db: Database, accountId: number, name: string, memberIds: number[] = []) {
  return db.transaction().execute(async (trx) => {
    let g;
    try {
      g = await trx.insertInto('user_groups').values({ account_id: accountId, kind: 'custom', name }).returning('id').executeTakeFirstOrThrow();
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw GroupErrors.NAME_TAKEN.create({ detail: name, field: 'name' });
      throw e;
    }
    if (memberIds.length) await addMembers(trx, accountId, g.id, memberIds);
    return g.id;
  });
}

/** Adds users to a custom group; unknown users are named in the error. */
export async function addMembers(db: Database, accountId: number, groupId: number, userIds: number[]): Promise<void> {
  const g = await groupOf(db, accountId, groupId);
  if (g.kind !== 'custom') throw GroupErrors.AUTOMATIC.create(g.name);
  const found = await db.selectFrom('users').select('id').where('account_id', '=', accountId).where('id', 'in', userIds).execute();
  const have = new Set(found.map((f) => f.id));
  const missing = userIds.find((u) => !have.has(u));
  if (missing !== undefined) throw UserErrors.NOT_FOUND.create({ detail: String(missing), field: 'userIds' });
  await sql`insert into user_group_members (group_id, user_id) select ${groupId}, x from unnest(${userIds}::bigint[]) x on conflict do nothing`.execute(db);
}

export async function removeMember(db: Database, accountId: number, groupId: number, userId: number): Promise<void> {
  const g = await groupOf(db, accountId, groupId);
  if (g.kind !== 'custom') throw GroupErrors.AUTOMATIC.create(g.name);
  await db.deleteFrom('user_group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
}

export async function deleteCustomGroup(db: Database, accountId: number, groupId: number): Promise<void> {
  const g = await groupOf(db, accountId, groupId);
  if (g.kind !== 'custom') throw GroupErrors.AUTOMATIC.create(g.name);
  await db.deleteFrom('user_groups').where('id', '=', groupId).execute();
}
