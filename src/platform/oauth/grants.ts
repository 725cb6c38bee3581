import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { OAuthAppErrors } from './errors.ts';

export const AuthorizationViewSchema = z.object({
  appId: z.number(), appName: z.string(), scopes: z.array(z.string()), since: z.date().describe('the first authorization that still holds'),
});

/** The applications a person has allowed and that still hold tokens for them (live grants), by application. */
export async function listUserAuthorizations(db: Database, accountId: number, userId: number) {
  const rows = await db.selectFrom('oauth_grants as g').innerJoin('oauth_apps as a', 'a.id', 'g.app_id')
    .select(['a.id', 'a.name', 'g.scopes', 'g.created_at'])
    .where('g.account_id', '=', accountId).where('g.user_id', '=', userId).where('g.revoked_at', 'is', null).where('a.status', '=', 'approved')
    .orderBy('a.name').orderBy('g.created_at').execute();
  const byApp = new Map<number, { appId: number; appName: string; scopes: string[]; since: Date }>();
  for (const r of rows) {
    const cur = byApp.get(r.id) ?? { appId: r.id, appName: r.name, scopes: [], since: r.created_at };
    cur.scopes = [...new Set([...cur.scopes, ...r.scopes])].sort();
    byApp.set(r.id, cur);
  }
  return [...byApp.values()];
}

/** A person withdraws an application's access to them: every grant (and so every token) of theirs for it ends. */
export async function withdrawAuthorization(db: Database, accountId: number, userId: number, appId: number): Promise<void> {
  const r = await db.updateTable('oauth_grants').set({ revoked_at: new Date(), revoked_reason: 'withdrawn by the user' })
    .where('account_id', '=', accountId).where('user_id', '=', userId).where('app_id', '=', appId).where('revoked_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw OAuthAppErrors.NOT_FOUND.create({ detail: `you have not authorized application ${appId}`, field: 'appId' });
}
