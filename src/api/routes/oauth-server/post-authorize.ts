import { z } from 'zod';
import { AuthorizationRequestSchema, checkAuthorizationRequest, decide } from '../../../platform/oauth/authorize.ts';
import { defineRoutes, principalOf } from '../../types.ts';

// The consent screen posts the signed-in user's decision here; the answer is where the browser goes next.
export default defineRoutes((app) => {
  app.post('/api/v1/oauth/authorize', {
    schema: {
      tags: ['oauth'], summary: "The signed-in user's decision on an authorization request: answers the redirect URI with a code (or access_denied)",
      body: AuthorizationRequestSchema.extend({ decision: z.enum(['allow', 'deny']) }), response: { 200: z.object({ redirectTo: z.string() }) },
    },
  }, async (req, reply) => {
    const { decision, ...q } = req.body;
    const user = principalOf(req);
    const c = await checkAuthorizationRequest(app.ctx.db, user, q, app.ctx.config.publicUrl);
    reply.header('cache-control', 'no-store');
    if ('redirectTo' in c) return c;
    return { redirectTo: await decide(app.ctx.db, user, c, decision === 'allow', app.ctx.config.publicUrl) };
  });
});
