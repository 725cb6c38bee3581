import type { AuthSession } from '../http/auth-session.ts';
import type { AuthEnv } from './auth-kind.ts';
import { AuthErrors } from './errors.ts';
import { isStale, type TokenSet } from './token-store.ts';

/**
 * The session of every token-based kind: sends the stored access token, obtains a new one when it is missing
 * or about to expire, and once after a 401. Obtaining runs through the store's `refreshing`, one caller at a
 * time across processes. When the server refuses the saved grant, the connection is marked as needing a new
 * authorization and the run fails with NEEDS_REAUTHORIZATION.
 */
export function tokenSession(env: AuthEnv, obtain: (current: TokenSet | null) => Promise<TokenSet>): AuthSession & { token(): Promise<TokenSet> } {
  // The token this session last sent: a 401 means that one is refused. When the stored token differs,
  // another request or worker has already renewed it, and that renewal is used instead of a new one.
  let sent: string | undefined;
  const renew = async (refused?: string): Promise<TokenSet> => {
    try {
      return await env.tokens.refreshing(async (cur) => {
        const now = env.now();
        if (cur && !isStale(cur, now) && (refused === undefined || cur.accessToken !== refused)) return cur;
        return { ...(await obtain(cur)), obtainedAt: now };
      });
    } catch (e) {
      if (AuthErrors.NEEDS_REAUTHORIZATION.is(e)) await env.tokens.needsReauthorization(e.message);
      throw e;
    }
  };
  const token = async () => {
    const t = await env.tokens.get();
    const use = t && !isStale(t, env.now()) ? t : await renew();
    sent = use.accessToken;
    return use;
  };
  return {
    token,
    apply: async ({ headers }) => {
      const t = await token();
      headers.set('authorization', `Bearer ${t.accessToken}`);
    },
    refresh: async () => {
      await renew(sent);
      return true;
    },
  };
}
