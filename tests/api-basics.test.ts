import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from './helpers/api.ts';
import type { Api } from '../src/api/types.ts';
import { bootstrapFirstAdmin } from '../src/platform/accounts.ts';

let ctx: TestContext;
let app: Api;
beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('API basics', () => {
  it('serves health and the generated OpenAPI without a token', async () => {
    const c = apiClient(app);
    expect((await c.get('/health')).data).toEqual({ status: 'ok' });
    expect((await c.get('/ready')).data).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', queue: 'ok' } });
    const spec = (await c.get('/openapi.json')).data;
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/api/v1/auth/sign-in');
  });

  it('refuses calls without or with a wrong token, with a stable code', async () => {
    const none = await apiClient(app).get('/api/v1/me');
    expect(none.statusCode).toBe(401);
    expect(none.data.error.code).toBe('LMC_ERR_COMMON_UNAUTHENTICATED');
    const bad = await apiClient(app, 'lmc_nope').get('/api/v1/me');
    expect(bad.statusCode).toBe(401);
    expect(bad.data.error.code).toBe('LMC_ERR_AUTH_TOKEN_INVALID');
  });

  it('signs the first admin in with the generated password, once', async () => {
    const first = await bootstrapFirstAdmin(ctx.db);
    expect(first?.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await bootstrapFirstAdmin(ctx.db)).toBeUndefined();
    const wrong = await apiClient(app).post('/api/v1/auth/sign-in', { email: first!.email, password: 'x' });
    expect(wrong.statusCode).toBe(401);
    const ok = await apiClient(app).post('/api/v1/auth/sign-in', { email: first!.email.toUpperCase(), password: first!.password });
    expect(ok.statusCode).toBe(200);
    const me = await apiClient(app, ok.data.token).get('/api/v1/me');
    expect(me.data).toMatchObject({ email: first!.email, accountName: 'Default account' });
  });

  it('names the field of a validation error', async () => {
    const r = await apiClient(app).post('/api/v1/auth/sign-in', { email: 'not-an-email', password: 'x' });
    expect(r.statusCode).toBe(400);
    expect(r.data.error.code).toBe('LMC_ERR_COMMON_VALIDATION');
    expect(r.data.error.field).toBe('body.email');
  });

  it('resolves a token created for an account', async () => {
    const { token, account } = await createAccountWithToken(ctx);
    const me = await apiClient(app, token).get('/api/v1/me');
    expect(me.data.accountId).toBe(account.id);
  });
});
