import { Readable } from 'node:stream';
import { z } from 'zod';
import { TEMPLATE_LIMITS, uploadTemplate } from '../../../pipelines/import-users/mapping-service.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConnParams } from './_schemas.ts';

export default defineRoutes((app) => {
  // A template is sent as the raw CSV (text/csv) or as JSON {"csv": "..."}.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => done(null, { csv: (body as Buffer).toString('utf8') }));
  app.post('/api/v1/connections/:id/user-import/template', {
    config: access,
    // Only the header row is kept: a template needs no more than this (TEMPLATE_LIMITS).
    bodyLimit: TEMPLATE_LIMITS.bytes + 1024,
    schema: {
      tags: ['user-import'],
      summary: 'Upload a template CSV: its header row gives the CSV columns of the mapping page',
      params: ConnParams,
      body: z.object({ csv: z.string().describe('the CSV text (or send the file itself as text/csv)') }),
      response: { 200: z.object({ columns: z.array(z.string()) }) },
    },
  }, async (req) => {
    return uploadTemplate(app.ctx, principalOf(req).accountId, req.params.id, Readable.from([Buffer.from(req.body.csv, 'utf8')]));
  });
});
