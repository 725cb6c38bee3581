import { z } from 'zod';
import { generateSshKeyPair } from '../../../kit/file-sources/ssh-keys.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/connectors/custom-ftp/key-pair', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['file-drops'],
      summary:
        'Generates an SSH key pair for Custom FTP certificate authentication. Put publicKey on your SFTP server; send privateKey once as the connection\'s "privateKey" setting (stored encrypted, never returned again).',
      body: z.object({ type: z.enum(['ed25519', 'rsa']).default('ed25519') }).default({ type: 'ed25519' }),
      response: { 200: z.object({ publicKey: z.string(), privateKey: z.string(), fingerprint: z.string() }) },
    },
  }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return generateSshKeyPair(req.body.type, `lmc-account-${principalOf(req).accountId}`);
  });
});
