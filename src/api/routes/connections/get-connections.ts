import { z } from 'zod';
import { connectionHealth } from '../../../engine/connection-health.ts';
import { getConnection, listConnections } from '../../../engine/connections.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConnectionOut, IdParams } from './_schemas.ts';

const HealthOut = z.object({
  lastRun: z.object({ id: z.number(), actionId: z.string(), status: z.string(), dryRun: z.boolean(), at: z.date().describe('when it finished (or started, while running)') }).nullable(),
  schedules: z.array(z.object({ actionId: z.string(), enabled: z.boolean(), every: z.number(), unit: z.enum(['days', 'hours']), timeZone: z.string(), nextDueAt: z.date().nullable() })),
});

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/connections', {
    config: access,
    schema: {
      tags: ['connections'],
      summary: 'The connections of the account, each with its health: the last run (status, time) and its schedules with their next run',
      querystring: z.object({ connectorId: z.string().optional() }),
      response: { 200: z.object({ connections: z.array(ConnectionOut.extend({ health: HealthOut })) }) },
    },
  }, async (req) => {
    const accountId = principalOf(req).accountId;
    const list = await listConnections(app.ctx, accountId, req.query);
    const health = await connectionHealth(app.ctx, accountId, list.map((c) => c.id));
    return { connections: list.map((c) => ({ ...c, health: health.get(c.id)! })) };
  });

  app.get('/api/v1/connections/:id', {
    config: access,
    schema: { tags: ['connections'], summary: 'A connection (never its secrets)', params: IdParams, response: { 200: ConnectionOut } },
  }, async (req) => getConnection(app.ctx, principalOf(req).accountId, req.params.id));
});
