import { z } from 'zod';
import type { AuthKind } from './auth-kind.ts';

/** No authentication (public endpoints, or a network-level trust). */
export const noAuth: AuthKind<Record<string, never>> = {
  kind: 'none',
  displayName: 'No sign-in',
  settings: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  interactive: false,
  open: () => ({ apply: async () => undefined }),
};
