import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { hashPassword, verifyPassword } from '../../shared/passwords.ts';
import { FileDropErrors } from './file-drop-errors.ts';
import { FOLDERS } from './file-source.ts';
import { LocalDirectorySource } from './local-directory.ts';
import { parsePublicKey } from './ssh-keys.ts';

/**
 * The hosted file drop (the spec's "Learning Manager FTP"): one SFTP login per platform account, whose
 * files live in <dataDir>/sftp/<accountId>/Home. The SFTP server (src/sftp-server) shows that account
 * folder as "/", so a client sees /Home/import/user/internal, /Home/import/xapi and /Home/export.
 */
export function hostedRoot(dataDir: string, accountId: number): string {
  return path.join(dataDir, 'sftp', String(accountId));
}

export function hostedHome(dataDir: string, accountId: number): string {
  return path.join(hostedRoot(dataDir, accountId), 'Home');
}

/** Creates Home/ and the spec's folders (idempotent). */
export async function createHostedFolders(dataDir: string, accountId: number): Promise<LocalDirectorySource> {
  const home = hostedHome(dataDir, accountId);
  await fsp.mkdir(home, { recursive: true, mode: 0o750 });
  const src = new LocalDirectorySource(home);
  for (const f of Object.values(FOLDERS)) await src.ensureDir(f);
  return src;
}

/** The FileSource of the account's hosted drop (what the ftp connector's actions read and write). */
export function openHostedDrop(dataDir: string, accountId: number): LocalDirectorySource {
  return new LocalDirectorySource(hostedHome(dataDir, accountId));
}

/** Reset links stay valid this long. */
const RESET_TTL_MS = 7 * 24 * 3600 * 1000;
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** The login name of an account's hosted drop: the account's slug (unique across the product). */
async function usernameFor(db: Database, accountId: number): Promise<string> {
  const a = await db.selectFrom('accounts').select('slug').where('id', '=', accountId).executeTakeFirstOrThrow();
  return a.slug;
}

export interface HostedAccountView {
  username: string;
  email: string;
  hasPassword: boolean;
  resetPending: boolean;
  createdAt: Date;
  publicKeys: Array<{ id: number; algorithm: string; fingerprint: string; comment: string; createdAt: Date }>;
}

/**
 * Creates the account's hosted SFTP login for `email` (the person responsible) with its folders, or
 * updates the email of the existing one (one login per account). The password is set through a reset
 * link (createResetToken); until then only public keys can log in.
 * @example await ensureHostedAccount(db, dataDir, 1, 'ops@acme.test')
 */
export async function ensureHostedAccount(db: Database, dataDir: string, accountId: number, email: string): Promise<HostedAccountView> {
  await createHostedFolders(dataDir, accountId);
  const username = await usernameFor(db, accountId);
  await db
    .insertInto('sftp_accounts')
    .values({ account_id: accountId, username, email })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ email, updated_at: new Date() }))
    .execute();
  return getHostedAccount(db, accountId);
}

export async function getHostedAccount(db: Database, accountId: number): Promise<HostedAccountView> {
  const a = await db.selectFrom('sftp_accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  if (!a) throw FileDropErrors.HOSTED_ACCOUNT_NOT_FOUND.create();
  const keys = await db.selectFrom('sftp_public_keys').selectAll().where('sftp_account_id', '=', a.id).orderBy('id').execute();
  return {
    username: a.username,
    email: a.email,
    hasPassword: a.password_hash !== null,
    resetPending: a.reset_token_hash !== null && a.reset_expires_at !== null && a.reset_expires_at > new Date(),
    createdAt: a.created_at,
    publicKeys: keys.map((k) => ({ id: k.id, algorithm: k.algorithm, fingerprint: k.fingerprint, comment: k.comment, createdAt: k.created_at })),
  };
}

/**
 * A new one-time password reset token for the account's login (any earlier token stops working). There
 * is no mail server: the API/CLI shows the token (and a link built from it) to the integration admin, who
 * passes it to the person responsible.
 */
export async function createResetToken(db: Database, accountId: number): Promise<{ token: string; expiresAt: Date; username: string; email: string }> {
  const token = 'lmcftp_' + crypto.randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + RESET_TTL_MS);
  const row = await db
    .updateTable('sftp_accounts')
    .set({ reset_token_hash: sha256(token), reset_expires_at: expiresAt, updated_at: new Date() })
    .where('account_id', '=', accountId)
    .returning(['username', 'email'])
    .executeTakeFirst();
  if (!row) throw FileDropErrors.HOSTED_ACCOUNT_NOT_FOUND.create();
  return { token, expiresAt, ...row };
}

/** Sets the password with a reset token; the token works once. */
export async function resetHostedPassword(db: Database, token: string, password: string): Promise<{ username: string }> {
  if (password.length < 12) throw FileDropErrors.WEAK_PASSWORD.create({ field: 'body.password' });
  const hash = await hashPassword(password);
  const row = await db
    .updateTable('sftp_accounts')
    .set({ password_hash: hash, reset_token_hash: null, reset_expires_at: null, updated_at: new Date() })
    .where('reset_token_hash', '=', sha256(token))
    .where('reset_expires_at', '>', new Date())
    .returning(['username'])
    .executeTakeFirst();
  if (!row) throw FileDropErrors.RESET_TOKEN_INVALID.create();
  return row;
}

/** Adds a public key (OpenSSH line) that may log in to the account's hosted drop. */
export async function addHostedPublicKey(db: Database, accountId: number, line: string) {
  const key = parsePublicKey(line);
  const a = await db.selectFrom('sftp_accounts').select('id').where('account_id', '=', accountId).executeTakeFirst();
  if (!a) throw FileDropErrors.HOSTED_ACCOUNT_NOT_FOUND.create();
  const row = await db
    .insertInto('sftp_public_keys')
    .values({ sftp_account_id: a.id, algorithm: key.algorithm, key_data: key.blob.toString('base64'), fingerprint: key.fingerprint, comment: key.comment })
    .onConflict((oc) => oc.columns(['sftp_account_id', 'fingerprint']).doUpdateSet({ comment: key.comment }))
    .returning(['id', 'algorithm', 'fingerprint', 'comment', 'created_at as createdAt'])
    .executeTakeFirstOrThrow();
  return row;
}

export async function removeHostedPublicKey(db: Database, accountId: number, keyId: number): Promise<boolean> {
  const r = await db
    .deleteFrom('sftp_public_keys')
    .where('id', '=', keyId)
    .where('sftp_account_id', 'in', (eb) => eb.selectFrom('sftp_accounts').select('id').where('account_id', '=', accountId))
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

let DUMMY_HASH: string | undefined;

export interface HostedLogin {
  accountId: number;
  username: string;
}

/** Checks a password login; undefined when the user or password is wrong (or no password was set). */
export async function checkHostedPassword(db: Database, username: string, password: string): Promise<HostedLogin | undefined> {
  const a = await db.selectFrom('sftp_accounts').select(['account_id', 'username', 'password_hash']).where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  if (!a?.password_hash) {
    // Spend the same time as a real check, so response times do not tell which logins exist.
    await verifyPassword(password, DUMMY_HASH ??= await hashPassword('lmc-dummy-password'));
    return undefined;
  }
  return (await verifyPassword(password, a.password_hash)) ? { accountId: a.account_id, username: a.username } : undefined;
}

/** Whether `blob` is one of the login's public keys (the signature is checked by the SSH server). */
export async function findHostedKeyLogin(db: Database, username: string, algorithm: string, blob: Buffer): Promise<HostedLogin | undefined> {
  const row = await db
    .selectFrom('sftp_public_keys as k')
    .innerJoin('sftp_accounts as a', 'a.id', 'k.sftp_account_id')
    .select(['a.account_id', 'a.username', 'k.algorithm', 'k.key_data'])
    .where(sql`lower(a.username)`, '=', username.toLowerCase())
    .where('k.key_data', '=', blob.toString('base64'))
    .executeTakeFirst();
  if (!row) return undefined;
  return { accountId: row.account_id, username: row.username };
}
