import { z } from 'zod';
import { secret } from '../../kit/define-connector.ts';

/** What both ways of signing in share: the server, the login and the folder. */
const server = {
  host: z
    .string()
    .min(1)
    .refine((h) => !/^ftps?:\/\//i.test(h.trim()), 'plain FTP is not supported: Custom FTP works only with SFTP servers (sftp://host or host)')
    .meta({ title: 'SFTP server', description: 'Host name, or sftp://host:port' }),
  port: z.coerce.number().int().min(1).max(65535).default(22).meta({ title: 'Port' }),
  username: z.string().min(1).meta({ title: 'User name' }),
};
const folder = {
  basePath: z.string().default('.').meta({ title: 'Folder', description: "The folder on the server holding import/ and export/ ('.' is the login's home folder)" }),
};

/**
 * Custom FTP connection settings, one branch per way of signing in (a discriminated union, so the form shows
 * the password or the private key, never both): "basic" with a password, "certificate" with the private key
 * of a pair the product generated (POST /api/v1/ssh-key-pairs; the admin puts the public key on their server).
 * Secrets are encrypted at rest and never returned. Settings saved before the union (a flat object with
 * authType) parse the same.
 */
export const customFtpSettings = z
  .discriminatedUnion('authType', [
    z
      .object({
        ...server,
        authType: z.literal('basic').default('basic'),
        password: secret(z.string({ error: 'basic authentication needs a password' }).min(1, 'basic authentication needs a password')).meta({ title: 'Password' }),
        ...folder,
      })
      .meta({ title: 'Password' }),
    z
      .object({
        ...server,
        authType: z.literal('certificate'),
        privateKey: secret(z.string({ error: 'certificate authentication needs the generated private key' }).min(1, 'certificate authentication needs the generated private key')).meta({
          title: 'Private key',
          description: 'The OpenSSH private key of the pair: use Generate SSH key, then put the downloaded public key on the server',
          format: 'ssh-private-key',
        }),
        ...folder,
      })
      .meta({ title: 'SSH key' }),
  ])
  .meta({ title: 'Sign in with' });
export type CustomFtpSettings = z.infer<typeof customFtpSettings>;
