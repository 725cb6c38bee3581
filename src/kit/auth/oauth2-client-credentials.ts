import { z } from 'zod';
import { secret } from '../define-connector.ts';
import { resolve, type AuthKind, type FromConnection } from './auth-kind.ts';
import { requestToken, type ClientAuthMethod } from './token-request.ts';
import { tokenSession } from './token-session.ts';

const settings = z.object({
  clientId: z.string().trim().min(1).max(512).meta({ title: 'Client ID' }),
  clientSecret: secret(z.string().min(1).max(4096).meta({ title: 'Client secret' })),
});
export type ClientCredentialsSettings = z.infer<typeof settings>;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): an app registered with the vendor signs in as itself, no
 * person involved (Microsoft Entra ID's app registration, Box's server authentication, Zoom's server-to-server).
 * @example oauth2ClientCredentials({ tokenUrl: (c) => `https://login.microsoftonline.com/${c.tenantId}/oauth2/v2.0/token`, scopes: ['https://graph.microsoft.com/.default'] })
 */
export function oauth2ClientCredentials(o: {
  tokenUrl: FromConnection;
  scopes?: FromConnection<string[]>;
  clientAuth?: ClientAuthMethod;
  /** Vendor-specific form fields (e.g. Box's box_subject_type). */
  extraParams?: FromConnection<Record<string, string>>;
}): AuthKind<ClientCredentialsSettings> {
  return {
    kind: 'oauth2-client-credentials',
    displayName: 'App registration (client id and secret)',
    settings,
    interactive: false,
    open: (s, env) =>
      tokenSession(env, () => {
        const scopes = o.scopes ? resolve(o.scopes, env.connection) : [];
        return requestToken({
          tokenUrl: resolve(o.tokenUrl, env.connection),
          params: { grant_type: 'client_credentials', ...(scopes.length ? { scope: scopes.join(' ') } : {}), ...(o.extraParams ? resolve(o.extraParams, env.connection) : {}) },
          clientId: s.clientId,
          clientSecret: s.clientSecret,
          clientAuth: o.clientAuth,
          now: env.now(),
          fetch: env.fetch,
        });
      }),
  };
}
