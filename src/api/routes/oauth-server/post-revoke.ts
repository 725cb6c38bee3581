import { authenticateClient, clientCredentials, revokeToken } from '../../../platform/oauth/tokens.ts';
import { defineRoutes } from '../../types.ts';
import { acceptForms, params, sendOAuthError } from './_protocol.ts';

export const REVOKE_PATH = '/oauth/revoke';

// Token revocation (RFC 7009): the client that holds a token ends it; 200 also for an unknown token (§2.2).
export default defineRoutes((app) => {
  acceptForms(app);
  app.post(REVOKE_PATH, {
    config: { public: true },
    // Every refusal of this endpoint, the input guards' included, in RFC 6749 §5.2's shape.
    errorHandler: (err, _req, reply) => sendOAuthError(reply, err),
    schema: { tags: ['oauth'], summary: 'OAuth 2.0 token revocation (RFC 7009); form-encoded body' },
  }, async (req, reply) => {
    try {
      const p = params(req.body);
      const client = await authenticateClient(app.ctx.db, clientCredentials(req.headers.authorization, p));
      await revokeToken(app.ctx.db, client, p);
      return reply.status(200).header('cache-control', 'no-store').send({});
    } catch (e) {
      return sendOAuthError(reply, e);
    }
  });
});
