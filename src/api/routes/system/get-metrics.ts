import { defineRoutes } from '../../types.ts';
import { assertMayScrape, metricsText } from '../../../server/metrics-access.ts';

export default defineRoutes((app) => {
  app.get('/metrics', {
    // No user token: Prometheus scrapes with LMC_METRICS_TOKEN (checked below); without one, not served here.
    config: { public: true },
    schema: { tags: ['system'], summary: 'Prometheus metrics (needs "Authorization: Bearer <LMC_METRICS_TOKEN>"; off without it)', produces: ['text/plain'] },
  }, async (req, reply) => {
    assertMayScrape(app.ctx.config.metrics, req.headers.authorization, 'api');
    const m = await metricsText(app.ctx.db);
    return reply.type(m.contentType).send(m.body);
  });
});
