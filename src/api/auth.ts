import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveToken } from '../platform/api-tokens.ts';
import { maintenanceRun } from '../engine/maintenance.ts';
import { CommonErrors } from '../shared/errors.ts';
import { OAuthErrors } from '../platform/oauth/errors.ts';
import { isOAuthAccessToken, resolveAccessToken } from '../platform/oauth/tokens.ts';
import type { Api } from './types.ts';

/**
 * Authentication and role checks for every route, driven by the route's `config` (see RouteAccess):
 * a bearer token (API token or web session) is required unless the route is public; `roles` limits
 * who may call it. Roles are checked before any handler runs, so a forbidden call changes nothing.
 */
export function installAuth(app: Api): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const cfg = req.routeOptions.config ?? {};
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const oauth = bearer !== undefined && isOAuthAccessToken(bearer);
    if (cfg.public) {
      // A public route still learns who calls it when a token is given (e.g. the web app's /me).
      if (bearer && !oauth) req.principal = await resolveToken(app.ctx.db, bearer).catch(() => null);
      if (cfg.learnerFacing && req.principal) await refuseDuringMaintenance(app, req.principal.accountId);
      return;
    }
    if (!req.routeOptions.url) return; // 404s go to the not-found handler
    if (!bearer) throw CommonErrors.UNAUTHENTICATED.create('send "Authorization: Bearer <token>"');
    if (oauth) {
      // An application's OAuth access token (RFC 6750) reaches only the routes that name a scope, and only with it.
      if (!cfg.oauthScope) throw OAuthErrors.NOT_FOR_OAUTH_TOKENS.create();
      const p = await resolveAccessToken(app.ctx.db, bearer);
      const admin = cfg.oauthScope.replace('learner:', 'admin:') as 'admin:read' | 'admin:write';
      if (!p.oauth.scopes.includes(cfg.oauthScope) && !p.oauth.scopes.includes(admin)) {
        throw OAuthErrors.INSUFFICIENT_SCOPE.create({ detail: `needs ${cfg.oauthScope} (or ${admin})`, data: { wwwAuthenticate: `Bearer error="insufficient_scope", scope="${cfg.oauthScope}"` } });
      }
      req.principal = p;
    } else req.principal = await resolveToken(app.ctx.db, bearer);
    if (cfg.roles && !cfg.roles.some((r) => req.principal!.roles.includes(r))) {
      throw CommonErrors.FORBIDDEN.create(`needs one of the roles: ${cfg.roles.join(', ')}`);
    }
    if (cfg.learnerFacing) await refuseDuringMaintenance(app, req.principal.accountId);
  });
}

/**
 * "Disable access during execution": 503 + Retry-After while a run of the account holds maintenance. It
 * follows the run's status and lease, so a crash cannot leave it on. Routes with their own authentication
 * (e.g. xAPI Basic auth) call it once they know the account.
 */
export async function refuseDuringMaintenance(app: Api, accountId: number): Promise<void> {
  const m = await maintenanceRun(app.ctx, accountId);
  if (m) throw CommonErrors.MAINTENANCE.create({ detail: `run #${m.runId}`, data: { runId: m.runId, retryAfterSeconds: m.retryAfterSeconds } });
}
