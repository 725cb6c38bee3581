import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { createTraining } from '../../src/platform/trainings/trainings.ts';
import { hashPassword } from '../../src/shared/passwords.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { http as apiHttp, oauthClient, oauthError } from '../oauth/oauth-harness.ts';
import { buildWebApp, createAdmin, launchBrowser, screenshot, signIn, startServer } from './web-harness.ts';

// Issue 16, the platform's OAuth apps, in Debian's chromium against the real API: an integration admin registers
// an application and sees its secret once, approves it, gets a code and a refresh token on the "Access Tokens for
// Testing and Development" page (the spec's Salesforce set-up); a learner signs in through the consent screen of
// an authorization request built by openid-client, and the client redeems the code the browser brings back.
let ctx: TestContext;
let server: { app: Api; url: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let webDir: string;
let admin: Awaited<ReturnType<typeof createAdmin>>;
let creds: { clientId: string; clientSecret: string };
// The application's own web server: it receives the browser after consent (http on loopback, RFC 8252).
let callback: http.Server;
let callbackUrl: string;
const arrived: string[] = [];

beforeAll(async () => {
  [ctx, webDir] = await Promise.all([createTestContext(), buildWebApp()]);
  server = await startServer(ctx);
  ctx.config.publicUrl = server.url;
  browser = await launchBrowser();
  admin = await createAdmin(ctx, { email: 'apps@acme.test', accountName: 'Acme Apps' });
  await createTraining(ctx.db, admin.account.id, { loId: 'course:1', type: 'course', name: 'Selling with care' });
  callback = http.createServer((req, res) => {
    // The browser may also ask for /favicon.ico: only the redirect counts.
    if (req.url?.startsWith('/cb')) arrived.push(`${callbackUrl.replace(/\/cb$/, '')}${req.url}`);
    res.end('back at the application');
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  callbackUrl = `http://localhost:${(callback.address() as AddressInfo).port}/cb`;
});
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  callback?.close();
  await ctx?.destroy();
  if (webDir) await fs.rm(webDir, { recursive: true, force: true });
});

describe('Applications screen', () => {
  it('registers an application, shows its client secret once, and approves it', async () => {
    const page = await browser.context.newPage();
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    await page.getByRole('link', { name: 'Applications' }).click();
    await page.getByRole('heading', { name: 'Applications' }).waitFor();
    // "Featured apps: Salesforce" fills the form for the package: admin scopes, no redirect URL.
    await page.getByRole('button', { name: 'Salesforce' }).click();
    expect(await page.getByLabel('Name').inputValue()).toBe('Salesforce');
    expect(await page.getByLabel("Read any learner's data in the account (admins only)").isChecked()).toBe(true);
    expect(await page.getByLabel("Read a learner's catalog, enrollments, progress and announcements").isChecked()).toBe(false);
    await page.getByLabel('Name').fill('Salesforce');
    await page.getByLabel('Description').fill('Learning inside the CRM');
    await page.getByLabel(/Redirect URLs/).fill(callbackUrl);
    await page.getByLabel("Read a learner's catalog, enrollments, progress and announcements").check();
    await page.getByLabel('Enroll a learner', { exact: true }).check();
    await page.getByRole('button', { name: 'Register application' }).click();

    const shown = page.getByRole('status', { name: 'Client credentials' });
    await shown.waitFor();
    const text = (await shown.textContent())!;
    const [clientId, clientSecret] = await shown.locator('.code').allTextContents();
    creds = { clientId, clientSecret };
    expect([clientId, clientSecret]).toEqual([expect.stringMatching(/^lmcapp_[\w-]+$/), expect.stringMatching(/^lmcsec_[\w-]{40,}$/)]);
    expect(text).toContain('not shown again');
    const row = page.getByRole('row').filter({ hasText: 'Salesforce' });
    await row.getByRole('cell', { name: 'Waiting for approval' }).waitFor();
    await screenshot(page, 'oauth-applications');

    await row.getByRole('button', { name: 'Approve' }).click();
    await row.getByRole('cell', { name: /^Approved/ }).waitFor();
    // Gone after a reload: only a hint of the secret is kept.
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'Salesforce' }).waitFor();
    expect(await page.content()).not.toContain(creds.clientSecret);
    expect(await page.getByRole('cell', { name: `${creds.clientSecret.slice(0, 11)}…` }).count()).toBe(1);
    await page.close();
  });

  it('Access Tokens for Testing and Development: gets an OAuth code, then a refresh token that a real client can use', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/applications`);
    await page.getByRole('link', { name: 'Access Tokens for Testing and Development' }).click();
    const codeForm = page.getByRole('form', { name: 'Get OAuth Code' });
    await codeForm.getByLabel('Client ID').fill(creds.clientId);
    expect(await codeForm.getByLabel('Scope').inputValue()).toBe('admin:read,admin:write');
    await codeForm.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('status', { name: 'OAuth code' }).waitFor();

    const refreshForm = page.getByRole('form', { name: 'Get Refresh Token' });
    await refreshForm.getByLabel('Client secret').fill(creds.clientSecret);
    expect(await refreshForm.getByLabel('OAuth code').inputValue()).toMatch(/^lmccode_/);
    await refreshForm.getByRole('button', { name: 'Submit' }).click();
    const tokens = page.getByRole('status', { name: 'Tokens' });
    await tokens.waitFor();
    const refreshToken = (await tokens.locator('.code').first().textContent())!;
    await screenshot(page, 'oauth-access-tokens');

    // The refresh token is what the Salesforce package is configured with: openid-client refreshes with it and
    // acts for a learner of the account by email (admin:read).
    const config = await oauthClient(server.url, creds.clientId, creds.clientSecret);
    const t = await client.refreshTokenGrant(config, refreshToken);
    expect(t.scope).toBe('admin:read admin:write');
    const r = await apiHttp(server.url, t.access_token).get(`/api/v1/learner/progress?learner=${encodeURIComponent(admin.email)}`);
    expect(r.status).toBe(200);
    // A code is single-use: submitting it again says so, in words.
    await refreshForm.getByLabel('Client secret').fill(creds.clientSecret);
    await refreshForm.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => refreshForm.getByRole('alert').textContent(), { timeout: 20_000 }).toContain('used already');
    await page.close();
  });

  it('a learner signs in through the consent screen; the client redeems the code the browser brings back', async () => {
    await ctx.db.insertInto('users').values({ account_id: admin.account.id, email: 'lea@acme.test', name: 'Lea', roles: ['learner'], password_hash: await hashPassword('lea password 1') }).execute();
    const config = await oauthClient(server.url, creds.clientId, creds.clientSecret, 'post');
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: callbackUrl, scope: 'learner:read learner:write', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    expect(url.href.startsWith(`${server.url}/oauth/authorize?`)).toBe(true);

    const page = await browser.context.newPage();
    // One browser profile: forget the admin's session so that the learner signs in.
    await page.goto(server.url);
    await page.evaluate(() => localStorage.clear());
    await page.goto(url.href);
    // Not signed in: the sign-in form first, then back to the consent screen.
    await page.getByLabel('Email').fill('lea@acme.test');
    await page.getByLabel('Password').fill('lea password 1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Allow Salesforce to use your learning account?' }).waitFor();
    const consent = page.getByRole('region', { name: 'Allow Salesforce to use your learning account?' });
    expect(await consent.getByRole('listitem').allTextContents()).toEqual(['See your trainings, enrollments, progress and announcements', 'Enroll you in trainings']);
    await screenshot(page, 'oauth-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.href.startsWith(callbackUrl));
    expect(arrived).toHaveLength(1);

    const tokens = await client.authorizationCodeGrant(config, new URL(arrived[0]), { pkceCodeVerifier: verifier, expectedState: state });
    const api = apiHttp(server.url, tokens.access_token);
    const catalog = await api.get('/api/v1/learner/catalog');
    const enrolled = await api.post('/api/v1/learner/enrollments', { trainingId: catalog.data.items[0].id });
    expect([enrolled.status, enrolled.data.email]).toEqual([201, 'lea@acme.test']);
    // The learner's token cannot act for the admin, and a refresh token never issued is refused.
    expect((await oauthError(client.refreshTokenGrant(config, 'lmcrt_unknown'))).error).toBe('invalid_grant');
    expect((await api.get(`/api/v1/learner/enrollments?learner=${encodeURIComponent(admin.email)}`)).status).toBe(403);
    await page.close();
  });
});
