import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { LrsErrors } from './errors.ts';
import { XAPI_VERSIONS, type XapiVersion } from './version.ts';

export type LrsScope = 'read' | 'write';
export const LRS_SCOPES: readonly LrsScope[] = ['read', 'write'];

/** Who calls the LRS: the account owning the Basic-auth key, and what the key may do. */
export interface LrsPrincipal {
  accountId: number;
  credentialId: number;
  key: string;
  name: string;
  scopes: LrsScope[];
  /**
   * The xAPI version of the key's clients: reported on answers to requests that name no version. Absent for
   * principals that are not HTTP clients (the xAPI import writes as its connection).
   */
  version?: XapiVersion;
}

// Authenticating every request costs a query; a short cache keeps the hot path free of it. Entries live
// 5 seconds, so a revoked key stops working within that time in other processes.
const cache = new Map<string, { p: LrsPrincipal; at: number }>();
const CACHE_MS = 5000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Creates an LRS key (the Basic-auth user name) and secret (the password) for an account. The secret is
 * returned once; only its SHA-256 is kept (it is 32 random bytes, so a slow hash adds nothing). `version` is the
 * xAPI version of the key's clients (default 2.0.0): requests that name their version are answered in it
 * whatever the key says; the key's version is what a request naming none is answered with (a 400).
 * @example const { key, secret } = await createLrsCredential(db, 1, { name: 'course player', scopes: ['read', 'write'], version: '1.0.3' });
 */
export async function createLrsCredential(db: Database, accountId: number, c: { name: string; scopes: LrsScope[]; version?: XapiVersion }) {
  const scopes = [...new Set(c.scopes)].filter((s) => LRS_SCOPES.includes(s));
  const version = c.version ?? '2.0.0';
  if (!XAPI_VERSIONS.includes(version)) throw LrsErrors.BAD_REQUEST.create({ detail: `unknown xAPI version "${version}" (${XAPI_VERSIONS.join(', ')})`, field: 'version' });
  const key = 'lrs_' + crypto.randomBytes(12).toString('hex');
  const secret = crypto.randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('lrs_credentials')
    .values({ account_id: accountId, name: c.name, key, secret_hash: sha256(secret), scopes, xapi_version: version })
    .returning(['id', 'name', 'key', 'scopes', 'xapi_version', 'created_at'])
    .executeTakeFirstOrThrow();
  const { xapi_version, ...rest } = row;
  return { ...rest, scopes: row.scopes as LrsScope[], version: xapi_version, secret };
}

/** The account's LRS keys (never the secrets). */
export async function listLrsCredentials(db: Database, accountId: number) {
  const rows = await db
    .selectFrom('lrs_credentials')
    .select(['id', 'name', 'key', 'scopes', 'xapi_version', 'created_at', 'last_used_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
  return rows.map(({ xapi_version, ...r }) => ({ ...r, scopes: r.scopes as LrsScope[], version: xapi_version }));
}

/** Revokes a key by id; it stops working at once. */
export async function revokeLrsCredential(db: Database, accountId: number, id: number): Promise<void> {
  const r = await db
    .updateTable('lrs_credentials')
    .set({ revoked_at: new Date() })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw LrsErrors.KEY_NOT_FOUND.create(`id ${id}`);
  // This process forgets the key at once; other processes within the cache lifetime.
  cache.clear();
}


/** Resolves an `Authorization: Basic` header to an LRS principal, or throws 401. */
export async function authenticateLrs(db: Database, header: string | undefined): Promise<LrsPrincipal> {
  if (!header || !/^basic\s+/i.test(header)) throw LrsErrors.UNAUTHORIZED.create();
  const decoded = Buffer.from(header.replace(/^basic\s+/i, '').trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i <= 0) throw LrsErrors.UNAUTHORIZED.create();
  const key = decoded.slice(0, i);
  const hash = sha256(decoded.slice(i + 1));
  const cacheKey = key + ':' + hash;
  const hit = cache.get(cacheKey);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.p;
  const row = await db
    .selectFrom('lrs_credentials')
    .select(['id', 'account_id', 'key', 'name', 'scopes', 'secret_hash', 'xapi_version'])
    .where('key', '=', key)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || !crypto.timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(hash))) throw LrsErrors.UNAUTHORIZED.create();
  await sql`update lrs_credentials set last_used_at = now() where id = ${row.id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`.execute(db);
  const p: LrsPrincipal = { accountId: row.account_id, credentialId: row.id, key: row.key, name: row.name, scopes: row.scopes as LrsScope[], version: row.xapi_version };
  if (cache.size > 1000) cache.clear();
  cache.set(cacheKey, { p, at: Date.now() });
  return p;
}

