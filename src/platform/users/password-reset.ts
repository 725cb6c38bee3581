import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { hashPassword, verifyPassword } from '../../shared/passwords.ts';
import { revokeSessions } from '../api-tokens.ts';
import { AuthErrors, UserErrors } from '../errors.ts';

/** How long a reset link works. */
export const RESET_HOURS = 24;

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/**
 * An admin issues a one-time password reset token for a user of the account (any earlier one stops working).
 * There is no mail server: the admin passes the link on. Only the token's SHA-256 is stored.
 * @example const { token } = await issuePasswordReset(db, accountId, userId);
 */
export async function issuePasswordReset(db: Database, accountId: number, userId: number): Promise<{ userId: number; email: string; token: string; expiresAt: Date }> {
  const token = 'lmcpr_' + crypto.randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + RESET_HOURS * 3600_000);
  const row = await db
    .updateTable('users')
    .set({ reset_token_hash: sha256(token), reset_expires_at: expiresAt })
    .where('account_id', '=', accountId)
    .where('id', '=', userId)
    .where('state', '<>', 'deleted')
    .returning(['id', 'email'])
    .executeTakeFirst();
  if (!row) throw UserErrors.NOT_FOUND.create(String(userId));
  return { userId: row.id, email: row.email, token, expiresAt };
}

/**
 * The user sets their password with the token (it works once); every web session of the user ends.
 * @example await resetPassword(db, token, 'a long new password');
 */
export async function resetPassword(db: Database, token: string, password: string): Promise<{ email: string }> {
  const hash = await hashPassword(password);
  const row = await db
    .updateTable('users')
    .set({ password_hash: hash, reset_token_hash: null, reset_expires_at: null, updated_at: new Date() })
    .where('reset_token_hash', '=', sha256(token))
    .where(sql<boolean>`reset_expires_at > now()`)
    .returning(['id', 'email'])
    .executeTakeFirst();
  if (!row) throw AuthErrors.RESET_TOKEN_INVALID.create({ field: 'body.token' });
  await revokeSessions(db, row.id);
  return { email: row.email };
}

/**
 * A user changes their own password, giving the current one; their other web sessions end (`keepTokenId`, the
 * caller's own, stays). Throttled by the caller like a sign-in (src/api/sign-in-guard.ts).
 */
export async function changeOwnPassword(db: Database, userId: number, current: string, next: string, keepTokenId: number): Promise<void> {
  const u = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(current, u.password_hash))) throw AuthErrors.CURRENT_PASSWORD_WRONG.create({ field: 'body.currentPassword' });
  await db.updateTable('users').set({ password_hash: await hashPassword(next), reset_token_hash: null, reset_expires_at: null, updated_at: new Date() }).where('id', '=', userId).execute();
  await revokeSessions(db, userId, keepTokenId);
}
