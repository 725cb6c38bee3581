import { z } from 'zod';
import { getConnection, listConnections } from '../../../engine/connections.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConnectionOut, IdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/connections', {
    config: access,
    schema: { tags: ['connections'], summary: 'The connections of the account', querystring: z.object({ connectorId: z.string().optional() }), response: { 200: z.object({ connections: z.array(ConnectionOut) }) } },
  }, async (req) => ({ connections: await listConnections(app.ctx, principalOf(req).accountId, req.query) }));

  app.get('/api/v1/connections/:id', {
    config: access,
    schema: { tags: ['connections'], summary: 'A connection (never its secrets)', params: IdParams, response: { 200: ConnectionOut } },
  }, async (req) => getConnection(app.ctx, principalOf(req).accountId, req.params.id));
});
