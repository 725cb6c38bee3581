import { z } from 'zod';
import { secret } from '../define-connector.ts';
import type { AuthKind } from './auth-kind.ts';

const basicSettings = z.object({ username: z.string().min(1).max(256), password: secret(z.string().min(1).max(1024)) });
/** HTTP Basic (RFC 7617): user name and password on every request. */
export const basicAuth: AuthKind<z.infer<typeof basicSettings>> = {
  kind: 'basic',
  displayName: 'User name and password',
  settings: basicSettings,
  interactive: false,
  open: (s) => ({
    apply: async ({ headers }) => headers.set('authorization', `Basic ${Buffer.from(`${s.username}:${s.password}`, 'utf8').toString('base64')}`),
  }),
};
