import type { AuthSession } from '../../src/kit/http/auth-session.ts';

/**
 * A minimal client-credentials AuthSession for these tests (kit/auth brings the real kinds): fetches a token
 * from the test vendor's token endpoint, and a new one on refresh().
 */
export function testClientCredentials(tokenUrl: string, clientId: string, clientSecret: string): AuthSession & { refreshes: number; token?: string } {
  const s = {
    refreshes: 0,
    token: undefined as string | undefined,
    async fetchToken() {
      const res = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }) });
      if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
      s.token = ((await res.json()) as { access_token: string }).access_token;
    },
    async apply(req: { url: URL; headers: Headers }) {
      if (!s.token) await s.fetchToken();
      req.headers.set('authorization', `Bearer ${s.token}`);
    },
    async refresh() {
      s.refreshes++;
      await s.fetchToken();
      return true;
    },
  };
  return s;
}
