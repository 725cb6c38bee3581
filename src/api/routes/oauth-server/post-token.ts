import { authenticateClient, clientCredentials, exchangeCode, refresh } from '../../../platform/oauth/tokens.ts';
import { OAuthErrors } from '../../../platform/oauth/errors.ts';
import { defineRoutes } from '../../types.ts';
import { acceptForms, params, sendOAuthError } from './_protocol.ts';

export const TOKEN_PATH = '/oauth/token';

// The token endpoint (RFC 6749 §3.2): authorization_code and refresh_token grants for confidential clients
// (client_secret_basic or client_secret_post). Public: the client authenticates itself here.
export default defineRoutes((app) => {
  acceptForms(app);
  app.post(TOKEN_PATH, {
    config: { public: true },
    // Every refusal of this endpoint, the input guards' included, in RFC 6749 §5.2's shape.
    errorHandler: (err, _req, reply) => sendOAuthError(reply, err),
    schema: { tags: ['oauth'], summary: 'OAuth 2.0 token endpoint (RFC 6749): authorization_code and refresh_token grants; form-encoded body' },
  }, async (req, reply) => {
    try {
      const p = params(req.body);
      const client = await authenticateClient(app.ctx.db, clientCredentials(req.headers.authorization, p));
      let tokens;
      if (p.grant_type === 'authorization_code') tokens = await exchangeCode(app.ctx.db, client, p);
      else if (p.grant_type === 'refresh_token') tokens = await refresh(app.ctx.db, client, p);
      else if (!p.grant_type) throw OAuthErrors.INVALID_REQUEST.create({ detail: 'grant_type is missing', field: 'grant_type' });
      else throw OAuthErrors.UNSUPPORTED_GRANT_TYPE.create(`got "${p.grant_type}"`);
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokens);
    } catch (e) {
      return sendOAuthError(reply, e);
    }
  });
});
