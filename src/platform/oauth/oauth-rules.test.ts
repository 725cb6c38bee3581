import { describe, expect, it } from 'vitest';
import { checkRedirectUri } from './apps.ts';
import { pkceMatches } from './authorize.ts';
import { grantableScopes, parseScope } from './scopes.ts';

describe('PKCE (RFC 7636)', () => {
  it('accepts the verifier of Appendix B for its S256 challenge, and refuses another', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(pkceMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(true);
    expect(pkceMatches(verifier.replace('d', 'e'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(false);
    expect(pkceMatches(verifier, verifier, 'plain')).toBe(true);
    expect(pkceMatches('short', 'short', 'plain')).toBe(false);
  });
});

describe('scopes', () => {
  it('reads space- or comma-separated scopes', () => {
    expect(parseScope('admin:read,admin:write')).toEqual(['admin:read', 'admin:write']);
    expect(parseScope('learner:read  learner:write learner:read')).toEqual(['learner:read', 'learner:write']);
    expect(parseScope(undefined)).toEqual([]);
  });

  it('defaults to the registered scopes; refuses unknown, unregistered, and admin scopes for a learner', () => {
    expect(grantableScopes([], ['learner:read'], ['learner'])).toEqual(['learner:read']);
    expect(() => grantableScopes(['learner:everything'], ['learner:read'], ['learner'])).toThrow(/unknown scope/);
    expect(() => grantableScopes(['learner:write'], ['learner:read'], ['admin'])).toThrow(/not registered/);
    expect(() => grantableScopes(['admin:read'], ['admin:read'], ['learner', 'manager'])).toThrow(/admin or integration admin/);
    expect(grantableScopes(['admin:read'], ['admin:read'], ['integration_admin'])).toEqual(['admin:read']);
  });
});

describe('redirect URIs', () => {
  it('takes https, and http only on the loopback interface', () => {
    for (const ok of ['https://x.my.salesforce.com/cb', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb']) expect(checkRedirectUri(ok, 'f')).toBe(ok);
    for (const bad of ['http://example.com/cb', 'https://example.com/cb#frag', 'ftp://example.com/', 'javascript:alert(1)', 'not a url']) {
      expect(() => checkRedirectUri(bad, 'f')).toThrow();
    }
  });
});
