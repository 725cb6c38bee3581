import { approveRun, cancelRun, rejectRun, rerunRun } from '../../../engine/runs.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { RunIdParams, RunOut } from './_schemas.ts';

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  const actor = (req: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(req);
    return { accountId: p.accountId, userId: p.userId };
  };
  app.post('/api/v1/runs/:id/cancel', {
    config: access,
    schema: { tags: ['runs'], summary: 'Cancel a queued run, or ask a running one to stop', params: RunIdParams, response: { 200: RunOut } },
  }, async (req) => cancelRun(app.ctx, principalOf(req).accountId, req.params.id, actor(req)));

  app.post('/api/v1/runs/:id/rerun', {
    config: access,
    schema: { tags: ['runs'], summary: 'Re-run the latest run of an action (refused for any older run)', params: RunIdParams, response: { 202: RunOut } },
  }, async (req, reply) => {
    reply.status(202);
    return rerunRun(app.ctx, actor(req), req.params.id);
  });

  app.post('/api/v1/runs/:id/approve', {
    config: access,
    schema: { tags: ['runs'], summary: 'Approve a run waiting for approval: it runs again with its destructive changes allowed', params: RunIdParams, response: { 202: RunOut } },
  }, async (req, reply) => {
    reply.status(202);
    return approveRun(app.ctx, actor(req), req.params.id);
  });

  app.post('/api/v1/runs/:id/reject', {
    config: access,
    schema: { tags: ['runs'], summary: 'Refuse a run waiting for approval: it ends cancelled, nothing applied', params: RunIdParams, response: { 200: RunOut } },
  }, async (req) => rejectRun(app.ctx, actor(req), req.params.id));
});
