import { z } from 'zod';
import { bearerAuth } from '../../kit/auth/index.ts';

/**
 * A miniOrange connection: the SCIM Base URL and Bearer Token that the tenant's "SCIM Client (Source)"
 * provisioning app shows in its Authorization Configuration (see README.md), and how often an incremental
 * schedule reads everything again (SCIM reports no deletions: only a full read notices a deleted user).
 */
export const miniOrangeAuth = bearerAuth;

const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

export const miniOrangeSettings = z.object({
  scimBaseUrl: z
    .string()
    .trim()
    .url()
    .refine((v) => {
      const u = new URL(v);
      // The token travels with every call: HTTPS only, except a simulator or proxy on this machine.
      return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
    }, 'must be an https:// address (the SCIM Base URL shown by the SCIM app in the miniOrange console)')
    .refine((v) => !new URL(v).search && !new URL(v).hash, 'must not hold a query string or fragment')
    .transform((v) => v.replace(/\/+$/, ''))
    .meta({ title: 'SCIM Base URL', description: 'Shown by the SCIM Client (Source) app in the miniOrange console (Authorization Configuration)' }),
  fullReadEveryHours: z.number().int().min(1).max(24 * 30).default(24)
    .meta({ title: 'Full read every (hours)', description: 'Scheduled imports read only the changed users, and every user again after this many hours (to notice deleted users)' }),
  auth: miniOrangeAuth.settings.meta({ title: 'Bearer Token', description: 'Shown by the same SCIM app; stored encrypted, never shown again' }),
});
export type MiniOrangeSettings = z.infer<typeof miniOrangeSettings>;
