import { z } from 'zod';
import { ActiveFieldViewSchema, listActiveFields } from '../../../platform/fields/active-fields.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/active-fields', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: { tags: ['active-fields'], summary: 'The account\'s active fields', response: { 200: z.array(ActiveFieldViewSchema) } },
  }, async (req) => listActiveFields(app.ctx.db, principalOf(req).accountId));
});
