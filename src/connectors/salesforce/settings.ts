import { z } from 'zod';
import { authChoice, oauth2AuthorizationCode, oauth2JwtBearer } from '../../kit/auth/index.ts';
import { choicesFrom } from '../../kit/vendor-choices.ts';

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
  .meta({ title: 'Org URL', description: 'Your Salesforce org URL, e.g. https://myorg.my.salesforce.com' });

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

const bulkAbove = z.number().int().min(1).default(50_000).meta({ title: 'Bulk API above', description: 'reads of more records than this go through one Bulk API 2.0 query job instead of pages of 2,000' });

/**
 * Contacts: "Yes, a subset" (a Contact column, then one or more of its values, both offered from the org's
 * data through the connector's `choices`) or "No, import all Contacts" (the spec's Import Users page).
 */
const contactSubset = z
  .discriminatedUnion('choose', [
    z.object({ choose: z.literal('all') }).meta({ title: 'No, import all Contacts' }),
    z
      .object({
        choose: z.literal('some'),
        field: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a field API name, e.g. LeadSource or Partner_Level__c').meta({ title: 'Contacts column', description: 'the Contact field that chooses the subset', ...choicesFrom('contact-columns') }),
        values: z.array(z.string().max(255)).min(1, 'choose at least one value').max(100).meta({ title: 'Values', description: 'contacts whose column holds one of these values are imported', ...choicesFrom('contact-column-values', { field: 'field' }, { many: true }) }),
      })
      .meta({ title: 'Yes, a subset' }),
  ])
  .meta({ title: 'Import a subset of Contacts?' });

/**
 * Settings saved before the subset became a choice held `subset: null` or `subset: { field, values }`, and a
 * subset beside Users: read as the choice (a subset beside Users is refused, as before).
 */
function fromEarlierShape(v: unknown, ctx: { addIssue(i: { code: 'custom'; message: string; path: PropertyKey[] }): void }): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = { ...(v as Record<string, unknown>) };
  const sub = o.subset as Record<string, unknown> | null | undefined;
  if (o.object !== 'Contact') {
    if (sub && sub.choose !== 'all') ctx.addIssue({ code: 'custom', message: 'a subset applies to Contacts only', path: ['subset'] });
    delete o.subset;
    return o;
  }
  if (sub === null) o.subset = { choose: 'all' };
  else if (sub && typeof sub === 'object' && sub.choose === undefined) o.subset = { choose: 'some', ...sub };
  return o;
}

/** Which records "Import Internal Users" reads: Salesforce Users, or Contacts (all, or a subset by one column's values). */
export const userSourceSchema = z.preprocess(
  fromEarlierShape,
  z
    .discriminatedUnion('object', [
      z.object({ object: z.literal('User'), bulkAbove }).meta({ title: 'Salesforce Users' }),
      z.object({ object: z.literal('Contact'), subset: contactSubset.default({ choose: 'all' }), bulkAbove }).meta({ title: 'Contacts' }),
    ])
    .meta({ title: 'Import Internal Users from', description: "the org's Salesforce Users, or its Contacts" }),
);

/** The subset of Contacts a connection imports, or null for every one (Users, or "No, import all Contacts"). */
export const subsetOf = (c: UserSourceChoice): { field: string; values: string[] } | null => (c.object === 'Contact' && c.subset.choose === 'some' ? { field: c.subset.field, values: c.subset.values } : null);

export const salesforceSettings = z.object({
  orgUrl,
  auth: salesforceAuth.settings,
  importFrom: userSourceSchema.default({ object: 'User', bulkAbove: 50_000 }),
});
export type SalesforceSettings = z.infer<typeof salesforceSettings>;
export type UserSourceChoice = z.infer<typeof userSourceSchema>;
