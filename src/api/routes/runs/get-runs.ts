import { z } from 'zod';
import { loadRegistry, userImportActions } from '../../../engine/registry.ts';
import { getRunDetail, listRuns } from '../../../engine/runs.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { RunDetailOut, RunIdParams, RunOut, RunStatusEnum } from './_schemas.ts';

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/runs', {
    config: access,
    schema: {
      tags: ['runs'],
      summary: 'Runs, oldest first (order=desc for newest first); a connection\'s history includes runs of a deleted connection with the same connector and name',
      querystring: z.object({
        connectionId: z.coerce.number().int().optional(),
        actionId: z.string().optional(),
        userImport: z.enum(['true']).optional().describe("only runs of the actions that declare they are the platform's user import (Users > Import Log)"),
        status: RunStatusEnum.optional(),
        trigger: z.enum(['on_demand', 'schedule', 'rerun']).optional(),
        order: z.enum(['asc', 'desc']).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
        cursor: z.coerce.number().int().optional().describe('The last run id of the previous page'),
      }),
      response: { 200: z.object({ runs: z.array(RunOut.extend({ connectionName: z.string().nullable().describe("the connection's name (kept when it was deleted)") })) }) },
    },
  }, async (req) => {
    const { userImport, ...filter } = req.query;
    const actions = userImport ? userImportActions(await loadRegistry(app.ctx.log)) : undefined;
    return { runs: await listRuns(app.ctx, principalOf(req).accountId, { ...filter, ...(actions ? { actions } : {}) }) };
  });

  app.get('/api/v1/runs/:id', {
    config: access,
    schema: { tags: ['runs'], summary: 'A run with its counts, progress, log and files', params: RunIdParams, response: { 200: RunDetailOut } },
  }, async (req) => getRunDetail(app.ctx, principalOf(req).accountId, req.params.id));
});
