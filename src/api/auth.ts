import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveToken } from '../platform/api-tokens.ts';
import { maintenanceRun } from '../engine/maintenance.ts';
import { CommonErrors } from '../shared/errors.ts';
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
    if (cfg.public) {
      // A public route still learns who calls it when a token is given (e.g. the web app's /me).
      if (bearer) req.principal = await resolveToken(app.ctx.db, bearer).catch(() => null);
      if (cfg.learnerFacing && req.principal) await refuseDuringMaintenance(app, req.principal.accountId);
      return;
    }
    if (!req.routeOptions.url) return; // 404s go to the not-found handler
    if (!bearer) throw CommonErrors.UNAUTHENTICATED.create('send "Authorization: Bearer <token>"');
    req.principal = await resolveToken(app.ctx.db, bearer);
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
