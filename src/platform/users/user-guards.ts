import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import type { Role } from '../../db/schema/core.ts';
import { UserErrors } from '../errors.ts';
import type { NewUser, UserPatch } from './user-schemas.ts';

/**
 * Who may change which user, and how (issue 13, "privilege escalation"):
 * - nobody sets another user's password, through create or update: an admin issues a one-time reset link
 *   (password-reset.ts), and a user changes their own password giving the current one;
 * - only an `admin` gives or changes roles (an integration admin may create learners only);
 * - nobody gives themselves a role they do not hold;
 * - only an admin changes the email, state or data source of a user who holds the admin role;
 * - the last active admin of an account cannot lose the role, be suspended or deleted.
 * Imports have rules of their own for administrators (src/platform/user-import/admin-guard.ts).
 */

/** Who asks for a change: the API's principal. Services called by the platform itself pass none. */
export interface Actor {
  userId: number;
  roles: readonly Role[];
}

const isAdmin = (a: Actor | undefined) => !a || a.roles.includes('admin');

export function assertMayCreate(actor: Actor | undefined, u: NewUser): void {
  if (u.password !== undefined) throw UserErrors.PASSWORD_NOT_SETTABLE.create({ field: 'password' });
  if (!isAdmin(actor) && u.roles?.some((r) => r !== 'learner')) throw UserErrors.ROLES_ADMIN_ONLY.create({ field: 'roles', detail: 'an integration admin may create learners only' });
}

interface Current {
  id: number;
  email: string;
  state: string;
  roles: Role[];
  data_source_id: number | null;
}

export async function assertMayUpdate(trx: Transaction<DB>, accountId: number, actor: Actor | undefined, cur: Current, p: UserPatch): Promise<void> {
  if (p.password !== undefined) throw UserErrors.PASSWORD_NOT_SETTABLE.create({ field: 'password' });
  const rolesChange = p.roles !== undefined && !sameSet(p.roles, cur.roles);
  if (rolesChange && actor) {
    if (!isAdmin(actor)) throw UserErrors.ROLES_ADMIN_ONLY.create({ field: 'roles' });
    const gained = p.roles!.filter((r) => !cur.roles.includes(r));
    if (actor.userId === cur.id && gained.length) throw UserErrors.OWN_ROLES.create({ field: 'roles', detail: gained.join(', ') });
  }
  if (cur.roles.includes('admin') && !isAdmin(actor)) {
    const changed = [
      p.email !== undefined && p.email !== cur.email ? 'email' : null,
      p.state !== undefined && p.state !== cur.state ? 'state' : null,
      p.dataSourceId !== undefined && p.dataSourceId !== cur.data_source_id ? 'dataSourceId' : null,
    ].filter((x): x is string => x !== null);
    if (changed.length) throw UserErrors.ADMIN_PROTECTED.create({ field: changed[0] });
  }
  const losesAdmin = cur.roles.includes('admin') && cur.state === 'active' && ((p.roles !== undefined && !p.roles.includes('admin')) || (p.state !== undefined && p.state !== 'active'));
  if (losesAdmin) await assertAnotherActiveAdmin(trx, accountId, cur.id, p.roles !== undefined && !p.roles.includes('admin') ? 'roles' : 'state');
}

/**
 * Serialises the changes that take an admin away in the account (two admins demoting each other at once must
 * not leave none), then refuses when no other active admin remains.
 */
async function assertAnotherActiveAdmin(trx: Transaction<DB>, accountId: number, userId: number, field: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(7310004, ${accountId}::int)`.execute(trx);
  const other = await trx
    .selectFrom('users')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', '<>', userId)
    .where('state', '=', 'active')
    .where(sql<boolean>`roles && '{admin,integration_admin}'::text[]`) // the partial index users_admins
    .where(sql<boolean>`'admin' = any(roles)`)
    .limit(1)
    .executeTakeFirst();
  if (!other) throw UserErrors.LAST_ADMIN.create({ field });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}
