import type { AuthSession } from '../http/auth-session.ts';
import type { AuthEnv } from './auth-kind.ts';
import { AuthErrors } from './errors.ts';
import { isStale, type TokenSet } from './token-store.ts';

/** A 401 this soon after another caller's refresh is answered with that refresh's token, not a new one. */
const FRESH_MS = 5_000;

/**
 * The session of every token-based kind: sends the stored access token, obtains a new one when it is missing
 * or about to expire, and once after a 401. Obtaining runs through the store's `refreshing`, one caller at a
 * time across processes. When the server refuses the saved grant, the connection is marked as needing a new
 * authorization and the run fails with NEEDS_REAUTHORIZATION.
 */
export function tokenSession(env: AuthEnv, obtain: (current: TokenSet | null) => Promise<TokenSet>): AuthSession & { token(): Promise<TokenSet> } {
  const renew = async (force: boolean): Promise<TokenSet> => {
    try {
      return await env.tokens.refreshing(async (cur) => {
        const now = env.now();
        const fresh = cur?.obtainedAt !== undefined && now - cur.obtainedAt < FRESH_MS;
        if (cur && !isStale(cur, now) && (!force || fresh)) return cur;
        return { ...(await obtain(cur)), obtainedAt: now };
      });
    } catch (e) {
      if (AuthErrors.NEEDS_REAUTHORIZATION.is(e)) await env.tokens.needsReauthorization(e.message);
      throw e;
    }
  };
  const token = async () => {
    const t = await env.tokens.get();
    return t && !isStale(t, env.now()) ? t : renew(false);
  };
  return {
    token,
    apply: async ({ headers }) => {
      const t = await token();
      headers.set('authorization', `Bearer ${t.accessToken}`);
    },
    refresh: async () => {
      await renew(true);
      return true;
    },
  };
}
