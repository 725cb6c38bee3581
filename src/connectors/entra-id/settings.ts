import { z } from 'zod';
import { oauth2ClientCredentials } from '../../kit/auth/index.ts';

/** Microsoft's global cloud; national clouds (US Government, China) have their own, set in the advanced settings. */
export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
export const LOGIN_BASE_URL = 'https://login.microsoftonline.com';
/** Client credentials ask for the app's granted application permissions with the resource's `/.default` scope. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An address the client secret and tokens may be sent to: https, or http only to this machine (a simulator). */
const endpoint = (title: string, description: string) =>
  z
    .string()
    .trim()
    .url()
    .refine((s) => {
      const u = new URL(s);
      return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
    }, 'must start with https:// (http:// is accepted only for this machine, e.g. a local test server)')
    .optional()
    .meta({ title, description });

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/** Where the token request goes: https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token. */
export function tokenUrlOf(c: Record<string, unknown>): string {
  return `${trimSlash(String(c.loginBaseUrl || LOGIN_BASE_URL))}/${encodeURIComponent(String(c.tenantId))}/oauth2/v2.0/token`;
}

export function graphBaseOf(c: Record<string, unknown>): string {
  return trimSlash(String(c.graphBaseUrl || GRAPH_BASE_URL));
}

/**
 * The app registration's client credentials grant:
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
export const entraAuth = oauth2ClientCredentials({ tokenUrl: tokenUrlOf, scopes: [GRAPH_SCOPE] });

const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;

/**
 * A connection: the tenant, the app registration's client id and secret (the secret is encrypted and never
 * shown again), and, for national clouds or a test server, other Graph and sign-in addresses.
 */
export const entraSettings = z.object({
  tenantId: z
    .string()
    .trim()
    .regex(TENANT, 'expected the Directory (tenant) ID, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47, or the primary domain, e.g. contoso.onmicrosoft.com')
    .meta({ title: 'Directory (tenant) ID', description: "On the app registration's Overview page in the Microsoft Entra admin center (or the tenant's primary domain)." }),
  auth: entraAuth.settings.meta({
    title: 'App registration',
    description: 'clientId: the Application (client) ID of the app registration; clientSecret: the value of a client secret (Certificates & secrets).',
  }),
  graphBaseUrl: endpoint('Microsoft Graph address (advanced)', `Leave empty for ${GRAPH_BASE_URL}; e.g. https://graph.microsoft.us/v1.0 for US Government L4.`),
  loginBaseUrl: endpoint('Sign-in address (advanced)', `Leave empty for ${LOGIN_BASE_URL}; e.g. https://login.microsoftonline.us for US Government.`),
});
export type EntraSettings = z.infer<typeof entraSettings>;
