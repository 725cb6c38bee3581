import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { TokenSet, TokenStore } from '../kit/auth/token-store.ts';
import { AuthErrors } from '../kit/auth/errors.ts';
import { decryptSecret, encryptSecret, secretKey } from './secrets.ts';

const aadOf = (accountId: number, connectionId: number) => `account:${accountId}:tokens:${connectionId}`;

/**
 * The token slot of one connection in PostgreSQL, encrypted with the secrets key (bound to the account and
 * the connection). `refreshing` holds a transaction-scoped advisory lock on the connection while the kind
 * renews its tokens, so two workers (or a worker and the API) never spend one rotating refresh token twice:
 * the second one waits, then finds the new tokens and keeps them.
 */
export function connectionTokenStore(ctx: AppContext, accountId: number, connectionId: number): TokenStore {
  const key = secretKey(ctx.config);
  const aad = aadOf(accountId, connectionId);
  // A connection the vendor refused stays refused until an admin connects it again: its runs fail at once.
  const read = async (db: AppContext['db']): Promise<TokenSet | null> => {
    const r = await db.selectFrom('connection_tokens').select(['sealed', 'needs_reauth_reason']).where('connection_id', '=', connectionId).where('account_id', '=', accountId).executeTakeFirst();
    if (r?.needs_reauth_reason) throw AuthErrors.NEEDS_REAUTHORIZATION.create({ detail: r.needs_reauth_reason });
    return r?.sealed ? (JSON.parse(decryptSecret(key, r.sealed, aad) as string) as TokenSet) : null;
  };
  const write = async (db: AppContext['db'], t: TokenSet): Promise<void> => {
    const values = { sealed: JSON.stringify(encryptSecret(key, JSON.stringify(t), aad)), expires_at: t.expiresAt ? new Date(t.expiresAt) : null, needs_reauth_reason: null, needs_reauth_at: null, updated_at: ctx.clock.now() };
    await db.insertInto('connection_tokens').values({ connection_id: connectionId, account_id: accountId, ...values })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet(values)).execute();
  };
  return {
    get: () => read(ctx.db),
    /** A new authorization (the OAuth callback) replaces whatever was there, refused or not. */
    set: (t) => write(ctx.db, t),
    refreshing: (fn) =>
      ctx.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`lmc-tokens:${connectionId}`}, 0))`.execute(trx);
        const current = await read(trx);
        const next = await fn(current);
        if (next !== current) await write(trx, next);
        return next;
      }),
    needsReauthorization: async (reason) => {
      const values = { sealed: null, needs_reauth_reason: reason.slice(0, 1000), needs_reauth_at: ctx.clock.now(), updated_at: ctx.clock.now() };
      const r = await ctx.db.insertInto('connection_tokens').values({ connection_id: connectionId, account_id: accountId, ...values })
        .onConflict((oc) => oc.column('connection_id').doUpdateSet(values).where('connection_tokens.needs_reauth_at', 'is', null))
        .returning('connection_id').executeTakeFirst();
      if (!r) return; // already marked: one notification
      const c = await ctx.db.selectFrom('connections').select('name').where('id', '=', connectionId).executeTakeFirst();
      await ctx.db.insertInto('notifications').values({
        account_id: accountId, run_id: null, kind: 'connection_needs_reauthorization',
        title: `The connection "${c?.name ?? connectionId}" must be connected again`,
        body: `${reason} Open the connection and use Connect to grant access again; its runs fail until then.`,
      }).execute();
    },
  };
}

/** Whether the connection holds tokens, and whether the vendor asked for a new authorization (connection views). */
export async function tokenStatus(ctx: AppContext, accountId: number, connectionId: number): Promise<{ authorized: boolean; needsReauthorization: string | null; expiresAt: Date | null }> {
  const r = await ctx.db.selectFrom('connection_tokens').select(['sealed', 'needs_reauth_reason', 'expires_at']).where('connection_id', '=', connectionId).where('account_id', '=', accountId).executeTakeFirst();
  return { authorized: !!r?.sealed && !r.needs_reauth_reason, needsReauthorization: r?.needs_reauth_reason ?? null, expiresAt: r?.expires_at ?? null };
}
