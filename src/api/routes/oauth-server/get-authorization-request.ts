import { z } from 'zod';
import { AuthorizationRequestSchema, checkAuthorizationRequest, consentView } from '../../../platform/oauth/authorize.ts';
import { defineRoutes, principalOf } from '../../types.ts';

const Consent = z.object({
  app: z.object({ name: z.string(), description: z.string() }).optional(),
  scopes: z.array(z.object({ scope: z.string(), label: z.string() })).optional(),
  redirectTo: z.string().optional().describe('set when the request is answered to the client at once (an error it must learn of)'),
});

// The consent screen of the web app (/oauth/authorize) is the authorization endpoint (RFC 6749 §3.1): it checks
// the request here with the signed-in user's session, shows the application and scopes, and posts the decision.
export default defineRoutes((app) => {
  app.get('/api/v1/oauth/authorization-request', {
    schema: { tags: ['oauth'], summary: 'Check an authorization request for the signed-in user: what the consent screen shows, or where to send the browser', querystring: AuthorizationRequestSchema, response: { 200: Consent } },
  }, async (req) => {
    const c = await checkAuthorizationRequest(app.ctx.db, principalOf(req), req.query, app.ctx.config.publicUrl);
    return 'redirectTo' in c ? c : consentView(c);
  });

});
