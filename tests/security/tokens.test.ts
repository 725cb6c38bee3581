import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import type { Api } from '../../src/api/types.ts';
import { hashPassword } from '../../src/shared/passwords.ts';

// Issue 13, point 13: an API token with expiresAt in the past was accepted, and signing out left the session
// token working. Replayed through the real API on a real database.

let ctx: TestContext;
let app: Api;
let admin: ReturnType<typeof apiClient>;
let email: string;
const PASSWORD = 'token test password';

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx, { email: 'tokens@acme.test' });
  email = a.user.email;
  await ctx.db.updateTable('users').set({ password_hash: await hashPassword(PASSWORD) }).where('id', '=', a.user.id).execute();
  admin = apiClient(app, a.token);
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('API tokens', () => {
  it('refuses an expiry in the past, naming the field', async () => {
    const past = new Date(Date.now() - 3600_000).toISOString();
    const r = await admin.post('/api/v1/tokens', { name: 'already dead', expiresAt: past });
    expect(r.statusCode).toBe(400);
    expect(r.data.error).toMatchObject({ code: 'LMC_ERR_COMMON_VALIDATION', field: 'body.expiresAt' });
    expect(r.data.error.message).toContain('future');
    expect((await admin.get('/api/v1/tokens')).data.map((t: { name: string }) => t.name)).not.toContain('already dead');
  });

  it('accepts an expiry in the future; the token stops working once it has passed', async () => {
    const soon = new Date(Date.now() + 3600_000);
    const r = await admin.post('/api/v1/tokens', { name: 'ci', expiresAt: soon.toISOString() });
    expect(r.statusCode).toBe(201);
    expect(new Date(r.data.expires_at).getTime()).toBe(soon.getTime());
    const ci = apiClient(app, r.data.token);
    expect((await ci.get('/api/v1/me')).statusCode).toBe(200);
    await ctx.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', r.data.id).execute();
    const late = await ci.get('/api/v1/me');
    expect(late.statusCode).toBe(401);
    expect(late.data.error.code).toBe('LMC_ERR_AUTH_TOKEN_INVALID');
  });
});

describe('sign-out', () => {
  it('revokes the session token: it answers 401 afterwards', async () => {
    const s = await apiClient(app).post('/api/v1/auth/sign-in', { email, password: PASSWORD });
    expect(s.statusCode).toBe(200);
    const session = apiClient(app, s.data.token);
    expect((await session.get('/api/v1/me')).statusCode).toBe(200);
    const out = await session.post('/api/v1/auth/sign-out');
    expect(out.statusCode).toBe(204);
    const after = await session.get('/api/v1/me');
    expect(after.statusCode).toBe(401);
    expect(after.data.error.code).toBe('LMC_ERR_AUTH_TOKEN_INVALID');
    // other sessions and tokens of the user keep working
    expect((await admin.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('needs a token', async () => {
    const r = await apiClient(app).post('/api/v1/auth/sign-out');
    expect(r.statusCode).toBe(401);
  });
});
