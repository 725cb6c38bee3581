import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Role } from '../db/schema/core.ts';
import { verifyPassword } from '../shared/passwords.ts';
import { AuthErrors } from './errors.ts';

/** Who is calling: resolved from a bearer token on every request. */
export interface Principal {
  accountId: number;
  userId: number;
  email: string;
  roles: Role[];
  tokenId: number;
}

const TOKEN_PREFIX = 'lmc_';

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Creates a bearer token for a user. The token is returned once; only its SHA-256 is stored.
 * @example const { token } = await createApiToken(db, { accountId: 1, userId: 1, name: 'ci' });
 */
export async function createApiToken(
  db: Database,
  t: { accountId: number; userId: number; name: string; kind?: 'api' | 'session'; expiresAt?: Date },
) {
  const token = TOKEN_PREFIX + crypto.randomBytes(24).toString('base64url');
  const row = await db
    .insertInto('api_tokens')
    .values({
      account_id: t.accountId,
      user_id: t.userId,
      name: t.name,
      kind: t.kind ?? 'api',
      token_hash: hashToken(token),
      prefix: token.slice(0, 10),
      expires_at: t.expiresAt ?? null,
    })
    .returning(['id', 'name', 'prefix', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { ...row, token };
}

export async function resolveToken(db: Database, token: string): Promise<Principal> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as tokenId', 't.account_id as accountId', 'u.id as userId', 'u.email', 'u.roles', 'u.state'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', new Date())]))
    .executeTakeFirst();
  if (!row || row.state !== 'active') throw AuthErrors.TOKEN_INVALID.create();
  // Touch at most once a minute: a busy client must not turn every read into a write.
  await sql`update api_tokens set last_used_at = now() where id = ${row.tokenId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`.execute(db);
  return { accountId: row.accountId, userId: row.userId, email: row.email, roles: row.roles, tokenId: row.tokenId };
}

export async function listApiTokens(db: Database, accountId: number) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.name', 't.kind', 't.prefix', 'u.email', 't.created_at', 't.expires_at', 't.last_used_at', 't.revoked_at'])
    .where('t.account_id', '=', accountId)
    .where('t.kind', '=', 'api')
    .orderBy('t.id')
    .execute();
}

/** Revokes the token a request came with (sign-out); a revoked token answers 401 from then on. */
export async function revokeOwnToken(db: Database, tokenId: number): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', tokenId).where('revoked_at', 'is', null).execute();
}

/** Ends every web session of a user (after a password change or reset), but `except` (the caller's own). */
export async function revokeSessions(db: Database, userId: number, except?: number): Promise<void> {
  let q = db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('kind', '=', 'session').where('revoked_at', 'is', null);
  if (except !== undefined) q = q.where('id', '<>', except);
  await q.execute();
}

// A valid scrypt hash of a random, forgotten password, with the parameters hashPassword uses: checked when
// the email matches no user (or one without a password), so that the answer takes as long as for a wrong
// password and its timing does not tell whether the email exists.
const DUMMY_HASH = 'scrypt$16384$8$1$EuLtxIa1msu0RSeBZaLFeA$DtKuHcVouz1B5PBhqrCwCdveivIIW-L4k7WaQuc_3Rw';

/**
 * The users of an email (every account, or one) whose password matches; as slow for an unknown email as for
 * a known one (DUMMY_HASH).
 */
export async function matchPassword(db: Database, email: string, password: string, accountId?: number) {
  let q = db
    .selectFrom('users as u')
    .innerJoin('accounts as a', 'a.id', 'u.account_id')
    .select(['u.id', 'u.account_id', 'u.password_hash', 'a.name as account_name', 'a.slug as account_slug'])
    .where(sql`lower(u.email)`, '=', email.toLowerCase())
    .where('u.state', '=', 'active');
  if (accountId !== undefined) q = q.where('u.account_id', '=', accountId);
  const rows = (await q.orderBy('u.account_id').execute()).filter((r) => r.password_hash);
  if (rows.length === 0) {
    await verifyPassword(password, DUMMY_HASH);
    return [];
  }
  const ok = [];
  for (const r of rows) if (await verifyPassword(password, r.password_hash)) ok.push(r);
  return ok;
}

export async function revokeApiToken(db: Database, accountId: number, id: number): Promise<boolean> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('account_id', '=', accountId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Signs a person in by email and password. The same email may exist in several accounts (each with its
 * own password); the accounts where the password matches are returned so the caller can pick one.
 */
export async function signIn(db: Database, email: string, password: string, accountId?: number) {
  const ok = await matchPassword(db, email, password, accountId);
  if (ok.length === 0) throw AuthErrors.BAD_CREDENTIALS.create();
  const accounts = ok.map((r) => ({ id: r.account_id, name: r.account_name, slug: r.account_slug }));
  const chosen = ok[0];
  const session = await createApiToken(db, {
    accountId: chosen.account_id,
    userId: chosen.id,
    name: 'web session',
    kind: 'session',
    expiresAt: new Date(Date.now() + 12 * 3600_000),
  });
  return { token: session.token, expiresAt: session.expires_at, accountId: chosen.account_id, accounts };
}
