import { FeedbackSchema, FeedbackViewSchema, giveFeedback } from '../../../platform/feedback/feedback.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/me/feedback', {
    config: { learnerFacing: true },
    schema: { tags: ['learner'], summary: 'Rate a training you are enrolled in: 1-5 stars (one rating per training; rating again replaces it)', body: FeedbackSchema, response: { 201: FeedbackViewSchema } },
  }, async (req, reply) => {
    const p = principalOf(req);
    reply.status(201);
    return giveFeedback(app.ctx.db, p.accountId, p.userId, req.body);
  });
});
