import { z } from 'zod';
import { loadVendorChoices } from '../../../engine/vendor-choices.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/connections/:id/choices/:list', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['connections'],
      summary: "Values a settings field offers, read from the vendor through the saved connection (e.g. a column's values in the org); the list's params in the query string",
      params: z.object({ id: z.coerce.number().int().positive(), list: z.string().max(100).describe("the connector's list, as the settings schema's choicesFrom names it") }),
      // The list's params (choicesFrom.params, taken from sibling fields of the form), checked by the list's own schema.
      querystring: z.looseObject({}),
      response: {
        200: z.object({
          choices: z.array(z.object({ value: z.string(), label: z.string().optional(), count: z.number().optional() })),
          truncated: z.boolean().describe('the vendor holds more values than were returned'),
        }),
      },
    },
  }, async (req) => loadVendorChoices(app.ctx, principalOf(req).accountId, req.params.id, req.params.list, req.query as Record<string, string>));
});
