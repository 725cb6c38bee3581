import { sql } from 'kysely';
import { z } from 'zod';
import { defineRoutes } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/health', {
    config: { public: true },
    schema: { tags: ['system'], summary: 'Liveness and database reachability', response: { 200: z.object({ status: z.literal('ok'), database: z.literal('ok') }) } },
  }, async () => {
    await sql`select 1`.execute(app.ctx.db);
    return { status: 'ok' as const, database: 'ok' as const };
  });
});
