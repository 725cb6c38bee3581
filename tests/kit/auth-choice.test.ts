import { describe, expect, it } from 'vitest';
import { AuthErrors, authChoice, bearerAuth, isInteractive, memoryTokenStore, oauth2AuthorizationCode } from '../../src/kit/auth/index.ts';

// authChoice: one vendor, several ways of signing in, chosen per connection by `method` (the first the default).
const choice = authChoice({
  'web-server': oauth2AuthorizationCode({ authorizeUrl: (c) => `${c.base}/authorize`, tokenUrl: (c) => `${c.base}/token` }),
  token: bearerAuth,
});
const env = { tokens: memoryTokenStore(), connection: { base: 'https://vendor.test' }, now: () => Date.now() };

describe('authChoice', () => {
  it('defaults to the first way; each branch keeps its own settings and secrets', () => {
    expect(choice.settings.parse({ clientId: 'app' })).toEqual({ clientId: 'app', method: 'web-server' });
    expect(choice.settings.parse({ method: 'token', token: 't0k' })).toEqual({ method: 'token', token: 't0k' });
    expect(choice.settings.safeParse({ method: 'token' }).success).toBe(false);
    expect(choice.settings.safeParse({ method: 'nope', clientId: 'x' }).success).toBe(false);
  });

  it('is interactive for the connections whose way needs Connect only', () => {
    expect(choice.interactive).toBe(true);
    expect(isInteractive(choice, { method: 'web-server', clientId: 'a' })).toBe(true);
    expect(isInteractive(choice, { method: 'token', token: 'x' })).toBe(false);
    expect(isInteractive(bearerAuth, { token: 'x' })).toBe(false);
  });

  it('signs with the chosen way, and refuses Connect for a way that has none', async () => {
    const req = { url: new URL('https://vendor.test/api'), headers: new Headers() };
    await choice.open({ method: 'token', token: 'secret-token' }, env).apply(req);
    expect(req.headers.get('authorization')).toBe('Bearer secret-token');
    const url = choice.authorization!.url({ method: 'web-server', clientId: 'app' }, env.connection, { redirectUri: 'https://hub.test/cb', state: 's', codeChallenge: 'c' });
    expect(new URL(url).pathname).toBe('/authorize');
    const refused = (() => {
      try {
        return choice.authorization!.url({ method: 'token', token: 'x' }, env.connection, { redirectUri: 'https://hub.test/cb', state: 's', codeChallenge: 'c' });
      } catch (e) {
        return e;
      }
    })();
    expect(AuthErrors.NOT_INTERACTIVE.is(refused)).toBe(true);
  });
});
