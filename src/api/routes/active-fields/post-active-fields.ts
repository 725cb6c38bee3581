import { z } from 'zod';
import { countUserImportMappings } from '../../../pipelines/import-users/source-columns.ts';
import { ActiveFieldViewSchema, createActiveField, NewActiveFieldSchema } from '../../../platform/fields/active-fields.ts';
import { defineRoutes, principalOf } from '../../types.ts';

const Created = ActiveFieldViewSchema.extend({
  mappingsToUpdate: z.number().describe('user import mappings that do not name the new field yet: until they do, those imports leave it empty'),
});

export default defineRoutes((app) => {
  app.post('/api/v1/active-fields', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: { tags: ['active-fields'], summary: 'Create an active field (csv or manual, group-able or not)', body: NewActiveFieldSchema, response: { 201: Created } },
  }, async (req, reply) => {
    const accountId = principalOf(req).accountId;
    const field = await createActiveField(app.ctx.db, accountId, req.body);
    reply.status(201);
    return { ...field, mappingsToUpdate: await countUserImportMappings(app.ctx, accountId) };
  });
});
