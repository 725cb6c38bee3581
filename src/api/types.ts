import type { FastifyInstance, FastifyBaseLogger, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import type { Role } from '../db/schema/core.ts';
import type { Principal } from '../platform/api-tokens.ts';

/** The fastify instance routes receive: zod-typed, with the app context decorated on it. */
export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What a route declares in its `config`. */
export interface RouteAccess {
  /** No token needed (sign-in, /about of the LRS, health). */
  public?: boolean;
  /** Any of these roles is enough. Absent: any signed-in user. */
  roles?: Role[];
  /** Learner-facing: answers 503 while the account is in maintenance ("disable access during execution"). */
  learnerFacing?: boolean;
  /**
   * The route also takes OAuth access tokens of registered applications, with this scope (or its admin
   * counterpart, for an app acting for the account's learners). Routes without it refuse OAuth tokens.
   */
  oauthScope?: 'learner:read' | 'learner:write';
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig extends RouteAccess {}
}

/** A route module: `export default defineRoutes((app) => { app.get(...) })`. */
export type RouteModule = (app: Api) => void | Promise<void>;
export const defineRoutes = (fn: RouteModule): RouteModule => fn;

/** The principal of an authenticated route (the auth hook guarantees it). */
export function principalOf(req: { principal: Principal | null }): Principal {
  if (!req.principal) throw new Error('route is public: no principal');
  return req.principal;
}
