import { z } from 'zod';
import { addHostedPublicKey, removeHostedPublicKey } from '../../../kit/file-sources/hosted-drop.ts';
import { CommonErrors } from '../../../shared/errors.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { IdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/ftp/account/public-keys', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['file-drops'],
      summary: 'Adds an SSH public key (OpenSSH line) that may log in to the hosted SFTP login',
      body: z.object({ publicKey: z.string().min(1) }),
      response: { 201: z.object({ id: z.number(), algorithm: z.string(), fingerprint: z.string(), comment: z.string(), createdAt: z.date() }) },
    },
  }, async (req, reply) => {
    reply.status(201);
    return addHostedPublicKey(app.ctx.db, principalOf(req).accountId, req.body.publicKey);
  });

  app.delete('/api/v1/ftp/account/public-keys/:id', {
    config: { roles: ['integration_admin'] },
    schema: { tags: ['file-drops'], summary: 'Removes a public key of the hosted SFTP login', params: IdParams, response: { 204: z.null() } },
  }, async (req, reply) => {
    if (!(await removeHostedPublicKey(app.ctx.db, principalOf(req).accountId, req.params.id))) throw CommonErrors.NOT_FOUND.create(`public key ${req.params.id}`);
    reply.status(204).send(null);
  });
});
