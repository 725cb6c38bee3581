import { z } from 'zod';
import { FeedbackViewSchema, listFeedback } from '../../../platform/feedback/feedback.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/feedback', {
    config: { roles: ['admin'] },
    schema: { tags: ['feedback'], summary: 'Learners\' feedback (filter by training or learner)',
      querystring: z.object({ trainingId: z.coerce.number().int().positive().optional(), userId: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
      response: { 200: z.array(FeedbackViewSchema) } },
  }, async (req) => listFeedback(app.ctx.db, principalOf(req).accountId, req.query));
});
