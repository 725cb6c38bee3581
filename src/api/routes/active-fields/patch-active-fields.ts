import { z } from 'zod';
import { ActiveFieldViewSchema, setFieldGroupable } from '../../../platform/fields/active-fields.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.patch('/api/v1/active-fields/:id', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['active-fields'],
      summary: 'Turn grouping on or off (the field\'s groups follow)',
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ groupable: z.boolean() }),
      response: { 200: ActiveFieldViewSchema },
    },
  }, async (req) => setFieldGroupable(app.ctx.db, principalOf(req).accountId, req.params.id, req.body.groupable));
});
