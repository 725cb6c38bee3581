/**
 * POST /{tenant}/oauth2/v2.0/token, the client credentials grant of the Microsoft identity platform:
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * (client_id + client_secret in the form body; scope `https://graph.microsoft.com/.default`; success
 * {token_type, expires_in, ext_expires_in, access_token}; errors {error, error_description, error_codes,
 * timestamp, trace_id, correlation_id}). AADSTS codes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TokenStore } from '../kit/tokens.ts';

export interface GraphApp {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /**
   * The application permissions granted with admin consent (the token's `roles`). Undefined: every one the
   * simulator checks. Listing users needs User.Read.All, User.ReadBasic.All (fewer properties, not checked),
   * Directory.Read.All or higher: https://learn.microsoft.com/graph/api/user-list#permissions
   */
  roles?: string[];
}

/** The application permissions that let an app list users (user-list, "Permissions"). */
export const USER_READ_ROLES = ['User.Read.All', 'User.ReadWrite.All', 'User.ReadBasic.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

function aadError(reply: FastifyReply, status: number, error: string, code: number, text: string): FastifyReply {
  const now = new Date();
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .send({
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${crypto.randomUUID()} Correlation ID: ${crypto.randomUUID()} Timestamp: ${now.toISOString().replace('T', ' ').slice(0, 19)}Z`,
      error_codes: [code],
      timestamp: now.toISOString().replace('T', ' ').slice(0, 19) + 'Z',
      trace_id: crypto.randomUUID(),
      correlation_id: crypto.randomUUID(),
    });
}

export function registerTokenRoute(app: FastifyInstance, apps: GraphApp[], tokens: TokenStore): void {
  app.post('/:tenant/oauth2/v2.0/token', async (req, reply) => {
    const { tenant } = req.params as { tenant: string };
    const b = (req.body ?? {}) as Record<string, string>;
    if (!apps.some((a) => a.tenantId === tenant)) return aadError(reply, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    if (b.grant_type !== 'client_credentials') return aadError(reply, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${b.grant_type ?? ''}'.`);
    if (!b.client_id) return aadError(reply, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    const a = apps.find((x) => x.tenantId === tenant && x.clientId === b.client_id);
    if (!a) return aadError(reply, 400, 'unauthorized_client', 700016, `Application with identifier '${b.client_id}' was not found in the directory '${tenant}'.`);
    if (!b.scope) return aadError(reply, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    if (b.scope !== GRAPH_SCOPE) return aadError(reply, 400, 'invalid_scope', 1002012, `The provided value for scope ${b.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    if (!b.client_secret) return aadError(reply, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    if (b.client_secret !== a.clientSecret) return aadError(reply, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${a.clientId}'.`);
    const g = tokens.issue(a.clientId);
    return reply.header('cache-control', 'no-store').send({ token_type: 'Bearer', expires_in: g.expires_in, ext_expires_in: g.expires_in, access_token: g.access_token });
  });
}
