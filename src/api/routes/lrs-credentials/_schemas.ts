import { z } from 'zod';

export const LrsScopeSchema = z.enum(['read', 'write']);

export const LrsKeyVersionSchema = z
  .enum(['2.0.0', '1.0.3'])
  .describe('the xAPI version of the key\'s clients. A request that names its version (X-Experience-API-Version) is answered in that version whatever the key says; a request that names none is refused (400) with this version in its X-Experience-API-Version header, as each version\'s conformance suite expects');

export const LrsCredentialViewSchema = z.object({
  id: z.number(),
  name: z.string(),
  key: z.string().describe('the HTTP Basic user name for /xapi'),
  scopes: z.array(LrsScopeSchema),
  version: LrsKeyVersionSchema,
  created_at: z.date(),
  last_used_at: z.date().nullable().optional(),
  revoked_at: z.date().nullable().optional(),
});
