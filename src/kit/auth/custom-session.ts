import type { z } from 'zod';
import type { AuthKind, AuthEnv } from './auth-kind.ts';
import type { TokenSet } from './token-store.ts';
import { tokenSession } from './token-session.ts';

/**
 * A vendor's own sign-in call that returns a session (Adobe Connect's `login` action and its BREEZESESSION
 * cookie, Marketo's identity endpoint, a SOAP login): `login` gets the credentials and returns the session as
 * a TokenSet (with `expiresAt` when the vendor says how long it lasts); `apply` puts it on each request. The
 * session is renewed like a token: before it expires, and once when the vendor says it has (401, or a
 * connector's classifier reporting an expired session).
 * @example customSession({ settings: z.object({ login: z.string(), password: secret(z.string()) }), displayName: 'Adobe Connect account', login: ..., apply: (t, r) => r.headers.set('cookie', `BREEZESESSION=${t.accessToken}`) })
 */
export function customSession<S>(o: {
  displayName: string;
  settings: z.ZodType<S>;
  login(settings: S, env: AuthEnv): Promise<TokenSet>;
  apply(session: TokenSet, req: { url: URL; headers: Headers }): void;
}): AuthKind<S> {
  return {
    kind: 'custom-session',
    displayName: o.displayName,
    settings: o.settings,
    interactive: false,
    open: (s, env) => {
      const session = tokenSession(env, () => o.login(s, env));
      return {
        apply: async (req) => o.apply(await session.token(), req),
        refresh: session.refresh,
      };
    },
  };
}
