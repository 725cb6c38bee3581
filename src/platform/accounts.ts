import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Role } from '../db/schema/core.ts';
import { generatePassword, hashPassword } from '../shared/passwords.ts';
import { AccountErrors } from './errors.ts';

export interface NewAccount {
  name: string;
  slug?: string;
}

export function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'account';
}

/** Creates an account. @example await createAccount(db, { name: 'Acme' }) */
export async function createAccount(db: Database, a: NewAccount) {
  const slug = a.slug ?? slugify(a.name);
  try {
    return await db.insertInto('accounts').values({ name: a.name, slug }).returningAll().executeTakeFirstOrThrow();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw AccountErrors.SLUG_TAKEN.create(slug);
    throw e;
  }
}

export async function getAccount(db: Database, id: number) {
  const a = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw AccountErrors.NOT_FOUND.create(String(id));
  return a;
}

export const ADMIN_ROLES: Role[] = ['learner', 'manager', 'author', 'admin', 'integration_admin'];

/**
 * On the very first start (no account yet) creates the default account and its first administrator with a
 * generated password, and returns the credentials to print once. Returns undefined on later starts.
 * Safe against two processes starting at once (an advisory lock serialises them).
 */
export async function bootstrapFirstAdmin(db: Database, email = 'admin@example.com') {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7310001)`.execute(trx);
    const any = await trx.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
    if (any) return undefined;
    const account = await trx.insertInto('accounts').values({ name: 'Default account', slug: 'default' }).returningAll().executeTakeFirstOrThrow();
    const password = generatePassword();
    const user = await trx
      .insertInto('users')
      .values({ account_id: account.id, email, name: 'Administrator', roles: ADMIN_ROLES, password_hash: await hashPassword(password) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { account, user, email, password };
  });
}
