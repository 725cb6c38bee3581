import { SCOPE_NAMES } from '../../../platform/oauth/scopes.ts';
import { defineRoutes } from '../../types.ts';

// Authorization server metadata (RFC 8414), so clients (openid-client's discovery among them) find the endpoints.
// The issuer is LMC_PUBLIC_URL; the authorization endpoint is the web app's consent screen.
export default defineRoutes((app) => {
  app.get('/.well-known/oauth-authorization-server', {
    config: { public: true },
    schema: { tags: ['oauth'], summary: 'OAuth 2.0 authorization server metadata (RFC 8414)' },
  }, async () => {
    const base = app.ctx.config.publicUrl;
    return {
      issuer: base,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      revocation_endpoint: `${base}/oauth/revoke`,
      scopes_supported: SCOPE_NAMES,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256', 'plain'],
      authorization_response_iss_parameter_supported: true,
      service_documentation: `${base}/docs/oauth-apps.md`,
    };
  });
});
