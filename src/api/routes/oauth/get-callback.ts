import { z } from 'zod';
import { completeAuthorization, OAUTH_CALLBACK_PATH } from '../../../engine/connection-auth.ts';
import { defineRoutes } from '../../types.ts';

// The vendor's sign-in page sends the admin's browser here (RFC 6749 §4.1.2). No session is needed: the
// state names the connection and is encrypted with this server's key. The answer is a redirect back to the
// web app, with a message the connection page shows.
export default defineRoutes((app) => {
  app.get(OAUTH_CALLBACK_PATH, {
    config: { public: true },
    schema: {
      tags: ['connections'],
      summary: "Where the vendor's sign-in page returns (OAuth 2.0 redirect URI); redirects to the connection page",
      querystring: z.object({
        state: z.string().max(4096).optional(),
        code: z.string().max(4096).optional(),
        error: z.string().max(200).optional(),
        error_description: z.string().max(2000).optional(),
      }),
    },
  }, async (req, reply) => {
    const base = app.ctx.config.publicUrl;
    try {
      const { connectionId } = await completeAuthorization(app.ctx, req.query);
      return reply.redirect(`${base}/connections/${connectionId}/configure?authorized=1`);
    } catch (e) {
      const err = e as { message?: string; code?: string; data?: { connectionId?: number } };
      app.ctx.log.warn({ code: err.code, message: err.message }, 'authorization at the vendor failed');
      const to = err.data?.connectionId ? `/connections/${err.data.connectionId}/configure` : '/';
      return reply.redirect(`${base}${to}?authorizationError=${encodeURIComponent(err.message ?? 'the authorization failed')}`);
    }
  });
});
