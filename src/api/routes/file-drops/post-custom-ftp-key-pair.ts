import { z } from 'zod';
import { generateSshKeyPair } from '../../../kit/file-sources/ssh-keys.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  const schema = {
    tags: ['file-drops'],
    body: z.object({ type: z.enum(['ed25519', 'rsa']).default('ed25519') }).default({ type: 'ed25519' }),
    response: { 200: z.object({ publicKey: z.string(), privateKey: z.string(), fingerprint: z.string() }) },
  };
  const handler = async (req: { body: { type: 'ed25519' | 'rsa' } }, reply: { header(k: string, v: string): unknown }, accountId: number) => {
    reply.header('Cache-Control', 'no-store');
    return generateSshKeyPair(req.body.type, `lmc-account-${accountId}`);
  };
  // Any settings field of format "ssh-private-key" (whatever the connector) is filled from this one.
  app.post('/api/v1/ssh-key-pairs', {
    config: { roles: ['integration_admin'] },
    schema: {
      ...schema,
      summary:
        'Generates an SSH key pair for a connection that signs in with a key (a settings field of format "ssh-private-key"). Put publicKey on your SFTP server; send privateKey once in that field (stored encrypted, never returned again).',
    },
  }, async (req, reply) => handler(req, reply, principalOf(req).accountId));
  app.post('/api/v1/connectors/custom-ftp/key-pair', {
    config: { roles: ['integration_admin'] },
    schema: {
      ...schema,
      summary:
        'Generates an SSH key pair for Custom FTP certificate authentication (the same as POST /api/v1/ssh-key-pairs, kept for existing scripts). Put publicKey on your SFTP server; send privateKey once as the connection\'s "privateKey" setting (stored encrypted, never returned again).',
    },
  }, async (req, reply) => handler(req, reply, principalOf(req).accountId));
});
