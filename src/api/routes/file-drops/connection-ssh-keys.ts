import { z } from 'zod';
import { openConnection } from '../../../engine/connections.ts';
import { acceptPendingHostKey, getHostKey } from '../../../kit/file-sources/host-keys.ts';
import { publicKeyOfPrivateKey } from '../../../kit/file-sources/ssh-keys.ts';
import { CommonErrors } from '../../../shared/errors.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { HostKeyOut, IdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };

  app.get('/api/v1/connections/:id/host-key', {
    config: access,
    schema: { tags: ['file-drops'], summary: "The SFTP server host key pinned for a Custom FTP connection, and a changed key waiting for acceptance", params: IdParams, response: { 200: HostKeyOut } },
  }, async (req) => {
    const accountId = principalOf(req).accountId;
    await openConnection(app.ctx, accountId, req.params.id); // 404 for another account's connection
    const k = await getHostKey(app.ctx.db, accountId, req.params.id);
    if (!k) throw CommonErrors.NOT_FOUND.create('no host key pinned yet: the connection has not reached its server');
    return k;
  });

  app.post('/api/v1/connections/:id/host-key/accept', {
    config: access,
    schema: {
      tags: ['file-drops'],
      summary: 'Accepts the changed host key the SFTP server now offers (give the fingerprint you checked with the server owner)',
      params: IdParams,
      body: z.object({ fingerprint: z.string().optional() }).default({}),
      response: { 200: z.object({ fingerprint: z.string() }) },
    },
  }, async (req) => {
    const accountId = principalOf(req).accountId;
    await openConnection(app.ctx, accountId, req.params.id);
    return acceptPendingHostKey(app.ctx.db, accountId, req.params.id, req.body.fingerprint);
  });

  app.get('/api/v1/connections/:id/public-key', {
    config: access,
    schema: {
      tags: ['file-drops'],
      summary: 'The OpenSSH public key of a Custom FTP connection using certificate authentication (to download and place on the server)',
      params: IdParams,
      response: { 200: z.string() },
    },
  }, async (req, reply) => {
    const { connector, settings } = await openConnection(app.ctx, principalOf(req).accountId, req.params.id);
    const key = (settings as { privateKey?: string }).privateKey;
    if (connector.id !== 'custom-ftp' || !key) throw CommonErrors.NOT_FOUND.create('this connection has no SSH key (Custom FTP with certificate authentication only)');
    reply.header('Content-Type', 'text/plain; charset=utf-8').header('Content-Disposition', `attachment; filename="lmc-connection-${req.params.id}.pub"`);
    return publicKeyOfPrivateKey(key, `lmc-connection-${req.params.id}`) + '\n';
  });
});
