import { ActiveFieldViewSchema, createActiveField, NewActiveFieldSchema } from '../../../platform/fields/active-fields.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/active-fields', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: { tags: ['active-fields'], summary: 'Create an active field (csv or manual, group-able or not)', body: NewActiveFieldSchema, response: { 201: ActiveFieldViewSchema } },
  }, async (req, reply) => {
    reply.status(201);
    return createActiveField(app.ctx.db, principalOf(req).accountId, req.body);
  });
});
