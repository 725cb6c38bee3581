import { z } from 'zod';
import { secret } from '../define-connector.ts';
import type { AuthKind } from './auth-kind.ts';

const tokenSettings = z.object({ token: secret(z.string().min(1).max(8192)) });
/** A long-lived token issued in the vendor's admin console, sent as `Authorization: Bearer`. */
export const bearerAuth: AuthKind<z.infer<typeof tokenSettings>> = {
  kind: 'bearer',
  displayName: 'Access token',
  settings: tokenSettings,
  interactive: false,
  open: (s) => ({ apply: async ({ headers }) => headers.set('authorization', `Bearer ${s.token}`) }),
};
