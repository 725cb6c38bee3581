import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { OAuthAppErrors } from './errors.ts';
import { SCOPE_NAMES } from './scopes.ts';
import { PREFIX, randomValue, sha256 } from './secrets.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** RFC 6749 §3.1.2 and RFC 8252 §7.3: absolute, no fragment, https (http only on the loopback interface). */
export function checkRedirectUri(uri: string, field: string): string {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw OAuthAppErrors.BAD_REDIRECT_URI.create({ detail: `"${uri}" is not an absolute URL`, field });
  }
  if (u.hash || uri.includes('#')) throw OAuthAppErrors.BAD_REDIRECT_URI.create({ detail: `"${uri}" has a fragment`, field });
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    throw OAuthAppErrors.BAD_REDIRECT_URI.create({ detail: `"${uri}" is neither https nor http on localhost`, field });
  }
  return uri;
}

export const NewAppSchema = z.object({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).optional(),
  redirectUris: z.array(z.string().min(1).max(2000)).max(20).default([])
    .describe('where the authorization server sends the browser back (exact match); none: codes only through the Access Tokens for Testing and Development page'),
  scopes: z.array(z.enum(SCOPE_NAMES as [string, ...string[]])).min(1).describe('the scopes the application may ask for'),
});
export type NewApp = z.input<typeof NewAppSchema>;

export const AppViewSchema = z.object({
  id: z.number(), name: z.string(), description: z.string(), clientId: z.string(), secretHint: z.string().describe('the first characters of the client secret'),
  redirectUris: z.array(z.string()), scopes: z.array(z.string()), status: z.enum(['pending', 'approved', 'revoked']),
  createdAt: z.date(), createdBy: z.string().nullable(), approvedAt: z.date().nullable(), approvedBy: z.string().nullable(), revokedAt: z.date().nullable(),
  activeGrants: z.number().describe('users whose authorization still holds'),
});

function appQuery(db: Database, accountId: number) {
  return db.selectFrom('oauth_apps as a')
    .leftJoin('users as c', 'c.id', 'a.created_by')
    .leftJoin('users as p', 'p.id', 'a.approved_by')
    .select(['a.id', 'a.name', 'a.description', 'a.client_id', 'a.secret_prefix', 'a.redirect_uris', 'a.scopes', 'a.status', 'a.created_at', 'a.approved_at', 'a.revoked_at',
      'c.email as created_by', 'p.email as approved_by'])
    .select(sql<number>`(select count(distinct g.user_id)::int from oauth_grants g where g.app_id = a.id and g.revoked_at is null)`.as('active_grants'))
    .where('a.account_id', '=', accountId);
}
type Row = Awaited<ReturnType<ReturnType<typeof appQuery>['executeTakeFirstOrThrow']>>;
const view = (r: Row) => ({
  id: r.id, name: r.name, description: r.description, clientId: r.client_id, secretHint: `${r.secret_prefix}…`, redirectUris: r.redirect_uris, scopes: r.scopes,
  status: r.status, createdAt: r.created_at, createdBy: r.created_by, approvedAt: r.approved_at, approvedBy: r.approved_by, revokedAt: r.revoked_at, activeGrants: r.active_grants,
});

export async function getApp(db: Database, accountId: number, id: number) {
  const r = await appQuery(db, accountId).where('a.id', '=', id).executeTakeFirst();
  if (!r) throw OAuthAppErrors.NOT_FOUND.create(String(id));
  return view(r);
}

export async function listApps(db: Database, accountId: number) {
  return (await appQuery(db, accountId).orderBy('a.id').execute()).map(view);
}

/**
 * Registers an application (pending until approved). The client secret is returned here only; the database
 * keeps its SHA-256.
 * @example const { clientId, clientSecret } = await registerApp(db, { accountId, userId }, { name: 'Salesforce', redirectUris: ['https://x.my.salesforce.com/cb'], scopes: ['admin:read'] })
 */
export async function registerApp(db: Database, actor: { accountId: number; userId: number }, a: NewApp) {
  const redirectUris = a.redirectUris ?? [];
  redirectUris.forEach((u, i) => checkRedirectUri(u, `redirectUris.${i}`));
  const secret = randomValue(PREFIX.clientSecret);
  let row;
  try {
    row = await db.insertInto('oauth_apps').values({
      account_id: actor.accountId, name: a.name, description: a.description ?? '', client_id: randomValue(PREFIX.clientId, 16), client_secret_hash: sha256(secret),
      secret_prefix: secret.slice(0, PREFIX.clientSecret.length + 4), redirect_uris: [...new Set(redirectUris)], scopes: [...new Set(a.scopes)], created_by: actor.userId,
    }).returning('id').executeTakeFirstOrThrow();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw OAuthAppErrors.NAME_TAKEN.create({ detail: a.name, field: 'name' });
    throw e;
  }
  return { ...(await getApp(db, actor.accountId, row.id)), clientSecret: secret };
}

/** Approves a pending application: from then on its users may authorize it. */
export async function approveApp(db: Database, actor: { accountId: number; userId: number }, id: number) {
  const app = await getApp(db, actor.accountId, id);
  if (app.status === 'revoked') throw OAuthAppErrors.REVOKED.create(app.name);
  if (app.status === 'pending') {
    await db.updateTable('oauth_apps').set({ status: 'approved', approved_by: actor.userId, approved_at: new Date() }).where('id', '=', id).where('account_id', '=', actor.accountId).execute();
  }
  return getApp(db, actor.accountId, id);
}

/** Issues a new client secret (shown once); the old one stops working at once. Tokens already issued hold. */
export async function rotateSecret(db: Database, accountId: number, id: number) {
  const app = await getApp(db, accountId, id);
  if (app.status === 'revoked') throw OAuthAppErrors.REVOKED.create(app.name);
  const secret = randomValue(PREFIX.clientSecret);
  await db.updateTable('oauth_apps').set({ client_secret_hash: sha256(secret), secret_prefix: secret.slice(0, PREFIX.clientSecret.length + 4) })
    .where('id', '=', id).where('account_id', '=', accountId).execute();
  return { ...(await getApp(db, accountId, id)), clientSecret: secret };
}

/** Revokes an application: its client credentials, codes and every token stop working at once. */
export async function revokeApp(db: Database, accountId: number, id: number) {
  await getApp(db, accountId, id);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('oauth_apps').set({ status: 'revoked', revoked_at: new Date() }).where('id', '=', id).where('account_id', '=', accountId).where('status', '<>', 'revoked').execute();
    await trx.updateTable('oauth_grants').set({ revoked_at: new Date(), revoked_reason: 'application revoked' }).where('app_id', '=', id).where('revoked_at', 'is', null).execute();
  });
  return getApp(db, accountId, id);
}

/** Deletes an application with its grants, codes and tokens. */
export async function deleteApp(db: Database, accountId: number, id: number): Promise<void> {
  const r = await db.deleteFrom('oauth_apps').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw OAuthAppErrors.NOT_FOUND.create(String(id));
}
