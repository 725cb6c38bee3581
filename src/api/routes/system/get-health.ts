import { z } from 'zod';
import { checkDatabase } from '../../../db/health.ts';
import { defineRoutes } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/health', {
    config: { public: true },
    schema: { tags: ['system'], summary: 'Liveness and database reachability', response: { 200: z.object({ status: z.literal('ok'), database: z.literal('ok') }) } },
  }, async () => {
    await checkDatabase(app.ctx.db);
    return { status: 'ok' as const, database: 'ok' as const };
  });
});
