import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import { FieldErrors, UserErrors } from '../errors.ts';
import { syncAutomaticGroups } from '../groups/sync-automatic-groups.ts';
import { assertNoManagerCycle, resolveManager } from './manager.ts';
import { assertMayCreate, assertMayUpdate, type Actor } from './user-guards.ts';
import type { NewUser, UserListQuery, UserPatch } from './user-schemas.ts';
import { userView, type UserView } from './user-view.ts';

type Db = Database | Transaction<DB>;

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string }).code === '23505';
}

/** Fails with the first field name that is not an active field of the account. */
async function assertFieldsExist(db: Db, accountId: number, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const known = await db.selectFrom('active_fields').select('name').where('account_id', '=', accountId).execute();
  const set = new Set(known.map((k) => k.name));
  const bad = names.find((n) => !set.has(n));
  if (bad !== undefined) throw UserErrors.UNKNOWN_FIELD.create({ detail: bad, field: `fields.${bad}` });
}

/** Applies a merge patch where null removes a key. */
function merge(base: Record<string, string>, patch: Record<string, string | null>): Record<string, string> {
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * Creates a user; keeps the automatic groups in step. `actor` (the API's caller) is held to user-guards.ts;
 * nobody gives a new user a password (an admin issues a reset link).
 * @example await createUser(ctx.db, accountId, { email: 'ann@acme.test', name: 'Ann', manager: 'boss@acme.test' }, principal)
 */
export async function createUser(db: Database, accountId: number, u: NewUser, actor?: Actor): Promise<UserView> {
  assertMayCreate(actor, u);
  const id = await db.transaction().execute(async (trx) => {
    await assertFieldsExist(trx, accountId, Object.keys(u.fields ?? {}));
    const managerId = u.manager === undefined || u.manager === null ? null : await resolveManager(trx, accountId, u.manager);
    let row;
    try {
      row = await trx
        .insertInto('users')
        .values({
          account_id: accountId,
          email: u.email,
          name: u.name,
          manager_id: managerId,
          user_type: u.userType,
          state: u.state,
          roles: u.roles,
          external_ids: JSON.stringify(u.externalIds ?? {}),
          profile: JSON.stringify(u.profile ?? {}),
          fields: JSON.stringify(u.fields ?? {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    } catch (e) {
      if (isUniqueViolation(e)) throw UserErrors.EMAIL_TAKEN.create({ detail: u.email, field: 'email' });
      throw e;
    }
    await syncAutomaticGroups(trx, accountId, { userIds: [row.id] });
    return row.id;
  });
  return getUser(db, accountId, id);
}

/** A user by id, or by email when `ref` is not a number. */
export async function getUser(db: Db, accountId: number, ref: number | string): Promise<UserView> {
  let q = db
    .selectFrom('users as u')
    .leftJoin('users as m', 'm.id', 'u.manager_id')
    .selectAll('u')
    .select('m.email as manager_email')
    .where('u.account_id', '=', accountId);
  q = typeof ref === 'number' || /^\d+$/.test(ref) ? q.where('u.id', '=', Number(ref)) : q.where(sql`lower(u.email)`, '=', ref.toLowerCase());
  const row = await q.executeTakeFirst();
  if (!row) throw UserErrors.NOT_FOUND.create(String(ref));
  return userView(row);
}

/** A page of users (ordered by id) with the total that matches. */
export async function listUsers(db: Db, accountId: number, query: Partial<UserListQuery> = {}) {
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  let q = db.selectFrom('users as u').where('u.account_id', '=', accountId);
  if (query.state) q = q.where('u.state', '=', query.state);
  if (query.search) {
    const like = `%${query.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    q = q.where((eb) => eb.or([eb('u.email', 'ilike', like), eb('u.name', 'ilike', like)]));
  }
  const [rows, total] = await Promise.all([
    q.leftJoin('users as m', 'm.id', 'u.manager_id').selectAll('u').select('m.email as manager_email').orderBy('u.id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(userView), total: Number(total.n), limit, offset };
}

/**
 * Updates a user through the admin API. An HR UUID, once set (by a connector), cannot be cleared or changed here.
 * A manager change is refused when it would make a reporting cycle. Groups follow the change. Roles, state
 * and passwords follow user-guards.ts (`actor`: the API's caller).
 */
export async function updateUser(db: Database, accountId: number, id: number, p: UserPatch, actor?: Actor): Promise<UserView> {
  await db.transaction().execute(async (trx) => {
    const cur = await trx.selectFrom('users').selectAll().where('account_id', '=', accountId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!cur) throw UserErrors.NOT_FOUND.create(String(id));
    await assertMayUpdate(trx, accountId, actor, cur, p);
    const set: Record<string, unknown> = { updated_at: new Date() };
    if (p.email !== undefined) set.email = p.email;
    if (p.name !== undefined) set.name = p.name;
    if (p.userType !== undefined) set.user_type = p.userType;
    if (p.state !== undefined) set.state = p.state;
    if (p.roles !== undefined) set.roles = p.roles;
    if (p.dataSourceId !== undefined) {
      // Explicit: this is how an administrator comes to belong to a data source (an import never takes one over).
      if (p.dataSourceId !== null) {
        const c = await trx.selectFrom('connections').select('id').where('account_id', '=', accountId).where('id', '=', p.dataSourceId).executeTakeFirst();
        if (!c) throw UserErrors.DATA_SOURCE_NOT_FOUND.create({ field: 'dataSourceId', detail: String(p.dataSourceId) });
      }
      set.data_source_id = p.dataSourceId;
    }
    if (p.manager !== undefined) {
      if (p.manager === null) set.manager_id = null;
      else {
        const managerId = await resolveManager(trx, accountId, p.manager);
        await assertNoManagerCycle(trx, id, managerId);
        set.manager_id = managerId;
      }
    }
    if (p.externalIds !== undefined) {
      const next = merge(cur.external_ids, p.externalIds);
      // Once set, neither cleared nor changed here (the spec's Workday "Points to note": only support changes it).
      if (cur.external_ids.hr_uuid && next.hr_uuid !== cur.external_ids.hr_uuid)
        throw UserErrors.HR_UUID_LOCKED.create({ field: 'externalIds.hr_uuid', detail: `${cur.email} has the UUID "${cur.external_ids.hr_uuid}"` });
      set.external_ids = JSON.stringify(next);
    }
    if (p.profile !== undefined) set.profile = JSON.stringify(merge(cur.profile, p.profile));
    if (p.fields !== undefined) {
      await assertFieldsExist(trx, accountId, Object.entries(p.fields).filter(([, v]) => v !== null).map(([k]) => k));
      set.fields = JSON.stringify(merge(cur.fields, p.fields));
    }
    try {
      await trx.updateTable('users').set(set).where('id', '=', id).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw UserErrors.EMAIL_TAKEN.create({ detail: p.email, field: 'email' });
      throw e;
    }
    if (p.fields !== undefined || p.manager !== undefined || p.state !== undefined || p.name !== undefined) {
      await syncAutomaticGroups(trx, accountId, { userIds: [id] });
    }
  });
  return getUser(db, accountId, id);
}

/**
 * A learner fills their own manual active fields (csv fields belong to imports).
 */
export async function setOwnManualFields(db: Database, accountId: number, userId: number, values: Record<string, string | null>): Promise<UserView> {
  const manual = await db.selectFrom('active_fields').select(['name', 'kind']).where('account_id', '=', accountId).execute();
  const kinds = new Map(manual.map((m) => [m.name, m.kind]));
  for (const k of Object.keys(values)) {
    if (!kinds.has(k)) throw UserErrors.UNKNOWN_FIELD.create({ detail: k, field: `fields.${k}` });
    if (kinds.get(k) !== 'manual') throw FieldErrors.NOT_MANUAL.create({ detail: k, field: `fields.${k}` });
  }
  return updateUser(db, accountId, userId, { fields: values });
}
