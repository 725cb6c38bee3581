import { z } from 'zod';
import { listLrsCredentials } from '../../../lrs/credentials.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { LrsCredentialViewSchema } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/lrs-credentials', {
    config: { roles: ['integration_admin'] },
    schema: { tags: ['lrs'], summary: 'The account\'s LRS keys (HTTP Basic credentials of the xAPI endpoint /xapi); secrets are never shown', response: { 200: z.array(LrsCredentialViewSchema) } },
  }, async (req) => listLrsCredentials(app.ctx.db, principalOf(req).accountId));
});
