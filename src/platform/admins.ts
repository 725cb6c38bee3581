import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { CommonErrors } from '../shared/errors.ts';
import { generatePassword, hashPassword } from '../shared/passwords.ts';
import { ADMIN_ROLES } from './accounts.ts';
import { revokeSessions } from './api-tokens.ts';
import { AccountErrors, UserErrors } from './errors.ts';
import { NewUserSchema } from './users/user-schemas.ts';

/**
 * What the operator of the server does from its shell (`lmc admin ...`), where no one can sign in yet: with
 * DATABASE_URL the first administrator printed by the first `lmc serve` may have gone to a log nobody keeps,
 * and an administrator may lose the password with no other admin to issue a reset link. Whoever runs the CLI
 * on the server has the database's rights already; these never run through the API.
 */

const emailOf = (email: string) => {
  const r = NewUserSchema.shape.email.safeParse(email.trim());
  if (!r.success) throw CommonErrors.VALIDATION.create({ field: 'email', detail: `"${email}" is not an email address` });
  return r.data;
};

async function accountOf(db: Database, ref?: string) {
  let q = db.selectFrom('accounts').select(['id', 'slug', 'name']);
  if (ref) q = /^\d+$/.test(ref) ? q.where('id', '=', Number(ref)) : q.where('slug', '=', ref);
  const rows = await q.orderBy('id').execute();
  if (ref && rows.length === 0) throw AccountErrors.NOT_FOUND.create({ field: 'account', detail: ref });
  if (!ref && rows.length > 1) {
    const d = rows.find((r) => r.slug === 'default');
    if (d) return d;
    throw CommonErrors.VALIDATION.create({ field: 'account', detail: `this server has ${rows.length} accounts: name one with --account (${rows.map((r) => r.slug).join(', ')})` });
  }
  return rows[0];
}

/**
 * An administrator with every role and a generated password (returned once). On a server without accounts,
 * the default account is created first (what the first `lmc serve` would do, with this email).
 * @example const { password } = await createAdmin(db, { email: 'it@acme.test' });
 */
export async function createAdmin(db: Database, input: { email: string; name?: string; account?: string }) {
  const email = emailOf(input.email);
  const name = input.name?.trim() || 'Administrator';
  const password = generatePassword();
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7310001)`.execute(trx); // the lock of bootstrapFirstAdmin
    let account = await accountOf(trx, input.account);
    let accountCreated = false;
    if (!account) {
      if (input.account) throw AccountErrors.NOT_FOUND.create({ field: 'account', detail: input.account });
      account = await trx.insertInto('accounts').values({ name: 'Default account', slug: 'default' }).returning(['id', 'slug', 'name']).executeTakeFirstOrThrow();
      accountCreated = true;
    }
    const taken = await trx.selectFrom('users').select('id').where('account_id', '=', account.id).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
    if (taken) throw UserErrors.EMAIL_TAKEN.create({ field: 'email', detail: `${email} (for a lost password: lmc admin reset-password ${email})` });
    const user = await trx
      .insertInto('users')
      .values({ account_id: account.id, email, name, roles: ADMIN_ROLES, password_hash: hash })
      .returning(['id', 'email'])
      .executeTakeFirstOrThrow();
    return { account: { id: account.id, slug: account.slug }, accountCreated, user, password };
  });
}

/**
 * A new generated password (returned once) for a user holding the admin or integration admin role; their
 * sessions end, a pending reset link stops working, and a sign-in lock on the email is lifted.
 */
export async function resetAdminPassword(db: Database, input: { email: string; account?: string }) {
  const email = emailOf(input.email);
  const account = await accountOf(db, input.account);
  if (!account) throw CommonErrors.NOT_FOUND.create('no account yet: lmc admin create --email <email>');
  const u = await db
    .selectFrom('users')
    .select(['id', 'email', 'roles', 'state'])
    .where('account_id', '=', account.id)
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  if (!u || u.state === 'deleted') throw UserErrors.NOT_FOUND.create({ field: 'email', detail: `${email} in account ${account.slug}` });
  if (!u.roles.includes('admin') && !u.roles.includes('integration_admin')) throw UserErrors.NOT_AN_ADMIN.create({ field: 'email', detail: email });
  const password = generatePassword();
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), reset_token_hash: null, reset_expires_at: null, updated_at: new Date() })
    .where('id', '=', u.id)
    .execute();
  await revokeSessions(db, u.id);
  await db.deleteFrom('sign_in_throttle').where('key', '=', `user:${u.email.toLowerCase()}`).execute();
  return { account: { id: account.id, slug: account.slug }, user: { id: u.id, email: u.email, state: u.state }, password };
}
