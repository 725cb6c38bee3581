import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { CommonErrors } from '../shared/errors.ts';
import type { Principal } from './api-tokens.ts';

/**
 * The account and acting user of a command run on the server (the CLI): `account` is a slug or id; when
 * omitted, the only account or the "default" one. The acting user is the account's first active integration
 * admin, since whoever runs the CLI on the server has its owner's rights.
 */
export async function serverPrincipal(db: Database, account?: string): Promise<Principal> {
  let q = db.selectFrom('accounts').select(['id', 'slug']);
  if (account) q = /^\d+$/.test(account) ? q.where('id', '=', Number(account)) : q.where('slug', '=', account);
  const rows = await q.orderBy('id').execute();
  const acc = account || rows.length <= 1 ? rows[0] : (rows.find((r) => r.slug === 'default') ?? rows[0]);
  if (!acc) throw CommonErrors.NOT_FOUND.create(account ? `account ${account}` : 'no account yet: run `lmc serve` once or `lmc seed`');
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'roles'])
    .where('account_id', '=', acc.id)
    .where(sql<boolean>`'integration_admin' = any(roles)`)
    .where('state', '=', 'active')
    .orderBy('id')
    .executeTakeFirst();
  if (!user) throw CommonErrors.NOT_FOUND.create(`account ${acc.slug} has no active integration admin`);
  return { accountId: acc.id, userId: user.id, email: user.email, roles: user.roles, tokenId: 0 };
}

/** A user of the account by email (case-insensitive), or a NOT_FOUND error naming it. */
export async function userIdByEmail(db: Database, accountId: number, email: string): Promise<number> {
  const u = await db.selectFrom('users').select('id').where('account_id', '=', accountId).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  if (!u) throw CommonErrors.NOT_FOUND.create(`user ${email}`);
  return u.id;
}
