import { z } from 'zod';
import { isoDateInput } from '../../../shared/dates.ts';
import { createOnDemandRun } from '../../../engine/runs.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { RunOut } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/runs', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['runs'],
      summary: 'Run an action now (queued for the workers)',
      body: z.object({
        connectionId: z.number().int().positive(),
        actionId: z.string(),
        since: isoDateInput().nullable().optional().describe('Start of the window (exports: data changed since)'),
        until: isoDateInput().nullable().optional().describe('End of the window; absent: until the run starts ("until present")'),
        dryRun: z.boolean().optional(),
        disableAccess: z.boolean().optional().describe('Put the account\'s learner-facing API in maintenance (503) while the run runs'),
      }),
      response: { 202: RunOut },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    reply.status(202);
    return createOnDemandRun(app.ctx, { accountId: p.accountId, userId: p.userId }, req.body);
  });
});
