import { z } from 'zod';
import { createConnection, testConnection } from '../../../engine/connections.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConnectionOut, IdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.post('/api/v1/connections', {
    config: access,
    schema: {
      tags: ['connections'],
      summary: 'Create a connection (settings validated by the connector; secrets encrypted, never returned)',
      body: z.object({ connectorId: z.string(), name: z.string().min(1), enabled: z.boolean().optional(), settings: z.record(z.string(), z.unknown()).default({}) }),
      response: { 201: ConnectionOut },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    reply.status(201);
    return createConnection(app.ctx, { accountId: p.accountId, userId: p.userId }, req.body);
  });

  app.post('/api/v1/connections/:id/test', {
    config: access,
    schema: { tags: ['connections'], summary: 'Test that the connection reaches its system', params: IdParams, response: { 200: z.object({ ok: z.boolean(), message: z.string(), pending: z.string().optional().describe('reached, but not usable yet: what is left to do') }) } },
  }, async (req) => testConnection(app.ctx, principalOf(req).accountId, req.params.id));
});
