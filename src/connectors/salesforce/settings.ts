import { z } from 'zod';
import { authChoice, oauth2AuthorizationCode, oauth2JwtBearer } from '../../kit/auth/index.ts';

/** The REST and Bulk API version every call uses (Winter '25). */
export const API_VERSION = 'v62.0';

/**
 * The org's URL (My Domain, sandbox or custom domain) without path: https://myorg.my.salesforce.com. The org's
 * own host serves OAuth (/services/oauth2) and the APIs (/services/data). Plain http only for a local
 * simulator on this machine.
 */
const orgUrl = z
  .string()
  .trim()
  .url()
  .transform((u) => new URL(u).origin)
  .refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(u), 'the org URL must start with https://')
  .describe('Your Salesforce org URL, e.g. https://myorg.my.salesforce.com');

/**
 * JWT bearer's audience: login.salesforce.com for production orgs, test.salesforce.com for sandboxes (the
 * flow's documented audiences); a local simulator accepts its own URL.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm&type=5
 */
export const jwtAudience = (org: string) => (/^http:/.test(org) ? org : /\.sandbox\.my\.salesforce\.com$|--/.test(new URL(org).host) ? 'https://test.salesforce.com' : 'https://login.salesforce.com');

export const salesforceAuth = authChoice({
  // Web server flow with PKCE: https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm&type=5
  'web-server': oauth2AuthorizationCode({
    authorizeUrl: (c) => `${c.orgUrl}/services/oauth2/authorize`,
    tokenUrl: (c) => `${c.orgUrl}/services/oauth2/token`,
    scopes: ['api', 'refresh_token'],
  }),
  'jwt-bearer': oauth2JwtBearer({ tokenUrl: (c) => `${c.orgUrl}/services/oauth2/token`, audience: (c) => jwtAudience(c.orgUrl) }),
});

/** Which records "Import Internal Users" reads: Salesforce users, or contacts (all, or a subset by one field's values). */
export const userSourceSchema = z
  .object({
    object: z.enum(['User', 'Contact']).default('User').describe('Users: the org\'s Salesforce users; Contacts: its contacts'),
    subset: z
      .object({
        field: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a field API name, e.g. LeadSource or Partner_Level__c').describe('the Contact field that chooses the subset'),
        values: z.array(z.string().max(255)).min(1).max(100).describe('contacts whose field holds one of these values are imported'),
      })
      .nullable()
      .default(null)
      .describe('Contacts only: "Yes, a subset" (a field and its values), or null to import all contacts'),
    bulkAbove: z.number().int().min(1).default(50_000).describe('reads of more records than this go through a Bulk API 2.0 query job instead of pages of 2000'),
  })
  .refine((s) => !s.subset || s.object === 'Contact', { message: 'a subset applies to Contacts only', path: ['subset'] });

export const salesforceSettings = z.object({
  orgUrl,
  auth: salesforceAuth.settings,
  importFrom: userSourceSchema.default({ object: 'User', subset: null, bulkAbove: 50_000 }).describe('what Import Internal Users reads'),
});
export type SalesforceSettings = z.infer<typeof salesforceSettings>;
export type UserSourceChoice = z.infer<typeof userSourceSchema>;
