import { z } from 'zod';
import { createLrsCredential } from '../../../lrs/credentials.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { LrsCredentialViewSchema, LrsKeyVersionSchema, LrsScopeSchema } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/lrs-credentials', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['lrs'],
      summary: 'Create an LRS key for xAPI clients; the secret (the Basic-auth password) is returned once',
      body: z.object({ name: z.string().min(1).max(200), scopes: z.array(LrsScopeSchema).min(1).default(['read', 'write']), version: LrsKeyVersionSchema.default('2.0.0') }),
      response: { 201: LrsCredentialViewSchema.extend({ secret: z.string().describe('shown once; only its hash is kept') }) },
    },
  }, async (req, reply) => {
    reply.status(201);
    return createLrsCredential(app.ctx.db, principalOf(req).accountId, req.body);
  });
});
