import type { LightMyRequestResponse } from 'fastify';
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import { ADMIN_ROLES, createAccount } from '../../src/platform/accounts.ts';
import { createApiToken } from '../../src/platform/api-tokens.ts';
import type { Role } from '../../src/db/schema/core.ts';
import type { AppContext } from '../../src/app-context.ts';

/** An account with a user of the given roles and a bearer token for it. */
export async function createAccountWithToken(ctx: AppContext, opts: { name?: string; roles?: Role[]; email?: string } = {}) {
  const account = await createAccount(ctx.db, { name: opts.name ?? `Acme ${Math.random().toString(36).slice(2, 8)}` });
  const user = await ctx.db
    .insertInto('users')
    .values({ account_id: account.id, email: opts.email ?? 'admin@acme.test', name: 'Admin', roles: opts.roles ?? ADMIN_ROLES })
    .returningAll()
    .executeTakeFirstOrThrow();
  const { token } = await createApiToken(ctx.db, { accountId: account.id, userId: user.id, name: 'test' });
  return { account, user, token };
}

/** A small client over fastify.inject with a bearer token. */
export function apiClient(app: Api, token?: string) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse & { body: string; data: any }> => {
    const res = await app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    });
    let data: unknown;
    try {
      data = res.json();
    } catch {
      data = undefined;
    }
    return Object.assign(res, { data });
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, body?: unknown) => call('POST', url, body ?? {}),
    put: (url: string, body?: unknown) => call('PUT', url, body ?? {}),
    patch: (url: string, body?: unknown) => call('PATCH', url, body ?? {}),
    delete: (url: string) => call('DELETE', url),
  };
}

export { buildApi };
