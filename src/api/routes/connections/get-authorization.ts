import { z } from 'zod';
import { openConnection } from '../../../engine/connections.ts';
import { tokenStatus } from '../../../engine/token-store.ts';
import { isInteractive } from '../../../kit/auth/auth-kind.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { IdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/connections/:id/authorization', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['connections'],
      summary: "Whether the connection is signed in at the vendor (connectors with an auth kind)",
      params: IdParams,
      response: {
        200: z.object({
          kind: z.string().nullable(),
          interactive: z.boolean(),
          state: z.enum(['connected', 'not_connected', 'needs_reauthorization', 'not_applicable']),
          reason: z.string().nullable().describe('why the vendor refused the saved authorization'),
          expiresAt: z.date().nullable(),
        }),
      },
    },
  }, async (req) => {
    const accountId = principalOf(req).accountId;
    const { connector, settings } = await openConnection(app.ctx, accountId, req.params.id);
    if (!connector.auth) return { kind: null, interactive: false, state: 'not_applicable' as const, reason: null, expiresAt: null };
    const t = await tokenStatus(app.ctx, accountId, req.params.id);
    const state = t.needsReauthorization ? 'needs_reauthorization' as const : t.authorized ? 'connected' as const : 'not_connected' as const;
    return { kind: connector.auth.kind, interactive: isInteractive(connector.auth, (settings as Record<string, unknown>).auth), state, reason: t.needsReauthorization, expiresAt: t.expiresAt };
  });
});
