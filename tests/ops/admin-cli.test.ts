import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import { runLmc } from '../helpers/cli.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

// Issue 18.7: with DATABASE_URL nobody saw the first administrator's password (printed once by the first
// `lmc serve`), and an administrator who lost the password had no way back. The operator's CLI gives both.
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

const passwordIn = (out: string) => /password: (\S+)/.exec(out)?.[1];
const signIn = (email: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });

describe('lmc admin (issue 18.7)', () => {
  it('create on an empty database makes the default account and an administrator who can sign in', async () => {
    const r = await runLmc(ctx, ['admin', 'create', '--email', 'Ops@Acme.test', '--name', 'Ops']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Account "default" created. Administrator Ops@Acme.test created in account default');
    const password = passwordIn(r.out)!;
    expect(password.length).toBeGreaterThanOrEqual(16);
    const s = await signIn('ops@acme.test', password);
    expect(s.statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${s.json().token}` } });
    expect(me.json().roles).toEqual(expect.arrayContaining(['admin', 'integration_admin']));
  });

  it('create refuses an email already there (naming reset-password) and a malformed one, with codes', async () => {
    const dup = await runLmc(ctx, ['admin', 'create', '--email', 'ops@acme.test']);
    expect(dup.code).toBe(1);
    expect(dup.err.trim()).toMatch(/^error LMC_ERR_USER_EMAIL_TAKEN: .*lmc admin reset-password ops@acme\.test/);
    const bad = await runLmc(ctx, ['admin', 'create', '--email', 'not-an-email']);
    expect(bad.code).toBe(1);
    expect(bad.err.trim()).toMatch(/^error LMC_ERR_COMMON_VALIDATION: .*not-an-email/);
  });

  it('reset-password gives a new password: the old one and the old sessions stop working, a sign-in lock is lifted', async () => {
    const first = await runLmc(ctx, ['admin', 'create', '--email', 'lost@acme.test']);
    const old = passwordIn(first.out)!;
    const session = (await signIn('lost@acme.test', old)).json().token as string;
    for (let i = 0; i < 6; i++) await signIn('lost@acme.test', 'wrong guess');
    expect((await signIn('lost@acme.test', old)).statusCode).toBe(429);

    const r = await runLmc(ctx, ['admin', 'reset-password', 'LOST@acme.test']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const fresh = passwordIn(r.out)!;
    expect(fresh).not.toBe(old);
    expect((await signIn('lost@acme.test', old)).statusCode).toBe(401);
    expect((await signIn('lost@acme.test', fresh)).statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${session}` } });
    expect(me.statusCode).toBe(401);
  });

  it('reset-password refuses a user without an admin role and an unknown email', async () => {
    const admin = await signIn('ops@acme.test', passwordIn((await runLmc(ctx, ['admin', 'reset-password', 'ops@acme.test'])).out)!);
    const token = admin.json().token as string;
    const created = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${token}` }, payload: { email: 'learner@acme.test', name: 'L' } });
    expect(created.statusCode).toBe(201);
    const learner = await runLmc(ctx, ['admin', 'reset-password', 'learner@acme.test']);
    expect(learner.code).toBe(1);
    expect(learner.err.trim()).toMatch(/^error LMC_ERR_USER_NOT_AN_ADMIN: .*lmc users reset-link/);
    const unknown = await runLmc(ctx, ['admin', 'reset-password', 'nobody@acme.test']);
    expect(unknown.err.trim()).toMatch(/^error LMC_ERR_USER_NOT_FOUND: /);
    expect(unknown.code).toBe(1);
  });
});
