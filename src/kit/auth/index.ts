// The auth kinds a connector manifest chooses from (`auth: ...`), one file each.
export type { AuthEnv, AuthKind, FromConnection } from './auth-kind.ts';
export { isInteractive } from './auth-kind.ts';
export { authChoice } from './auth-choice.ts';
export { noAuth } from './none.ts';
export { basicAuth } from './basic.ts';
export { bearerAuth } from './bearer.ts';
export { apiKeyAuth } from './api-key.ts';
export { oauth2ClientCredentials } from './oauth2-client-credentials.ts';
export { oauth2AuthorizationCode } from './oauth2-authorization-code.ts';
export { oauth2JwtBearer, signJwt } from './oauth2-jwt-bearer.ts';
export { wsSecurityUsernameToken, type SoapAuthSession } from './ws-security.ts';
export { customSession } from './custom-session.ts';
export { memoryTokenStore, isStale, type TokenSet, type TokenStore } from './token-store.ts';
export { pkcePair } from './pkce.ts';
export { AuthErrors } from './errors.ts';
