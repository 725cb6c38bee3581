import { z } from 'zod';

export const LrsScopeSchema = z.enum(['read', 'write']);

export const LrsCredentialViewSchema = z.object({
  id: z.number(),
  name: z.string(),
  key: z.string().describe('the HTTP Basic user name for /xapi'),
  scopes: z.array(LrsScopeSchema),
  created_at: z.date(),
  last_used_at: z.date().nullable().optional(),
  revoked_at: z.date().nullable().optional(),
});
