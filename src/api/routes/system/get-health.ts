import { z } from 'zod';
import { checkReadiness } from '../../../server/readiness.ts';
import { defineRoutes } from '../../types.ts';

const Check = z.string().describe('"ok", or why not');

export default defineRoutes((app) => {
  // Liveness: the process answers. It does not ask the database, so a database outage does not get every
  // API process restarted by its supervisor; /ready says whether the process can work.
  app.get('/health', {
    config: { public: true },
    schema: { tags: ['system'], summary: 'Liveness: the process answers (no database call)', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/ready', {
    config: { public: true },
    schema: {
      tags: ['system'],
      summary: 'Readiness: the database answers, its migrations are current and the run queue exists (503 otherwise)',
      response: {
        200: z.object({ status: z.literal('ready'), checks: z.object({ database: Check, migrations: Check, queue: Check }) }),
        503: z.object({ status: z.literal('not_ready'), checks: z.object({ database: Check, migrations: Check, queue: Check }) }),
      },
    },
  }, async (_req, reply) => {
    const r = await checkReadiness(app.ctx.db);
    if (!r.ready) return reply.code(503).send({ status: 'not_ready' as const, checks: r.checks });
    return { status: 'ready' as const, checks: r.checks };
  });
});
