import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApi } from '../../src/api/app.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Api } from '../../src/api/types.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildWebApp, createAdmin, launchBrowser, screenshot, signIn, startServer } from './web-harness.ts';

// The admin web app in Debian's chromium against the real API on a fresh database.
let ctx: TestContext;
let server: { app: Api; url: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let webDir: string;

beforeAll(async () => {
  [ctx, webDir] = await Promise.all([createTestContext(), buildWebApp()]);
  server = await startServer(ctx);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await ctx?.destroy();
  if (webDir) await fs.rm(webDir, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const page = await browser.context.newPage();
  // Pages share the profile: start every test signed out.
  await page.goto(`${server.url}/sign-in`);
  await page.evaluate(() => localStorage.clear());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { jsErrors: string[] }).jsErrors = errors;
  return page;
}

describe('admin web app', () => {
  it('serves the app with an SPA fallback and keeps API 404s as JSON', async () => {
    const deep = await fetch(`${server.url}/connections/1/mapping`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toContain('text/html');
    expect(await deep.text()).toContain('<div id="root">');
    const api404 = await fetch(`${server.url}/api/v1/nope`);
    expect(api404.status).toBe(404);
    expect((await api404.json()).error.code).toBe('LMC_ERR_COMMON_NOT_FOUND');
    const escape = await fetch(`${server.url}/..%2f..%2fpackage.json`);
    expect(await escape.text()).not.toContain('"devDependencies"');
  });

  it('signs in, shows the API error for a wrong password, picks one of several accounts, signs out', async () => {
    const a = await createAdmin(ctx, { email: 'multi@acme.test', accountName: 'Acme Europe' });
    await createAdmin(ctx, { email: 'multi@acme.test', accountName: 'Acme Americas' });
    const page = await newPage();
    await signIn(page, server.url, a.email, 'wrong password');
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toContain('LMC_ERR_AUTH_BAD_CREDENTIALS');
    await screenshot(page, 'sign-in-error');
    await page.getByLabel('Password').fill(a.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('radio', { name: /Acme Americas/ }).check();
    await screenshot(page, 'sign-in-choose-account');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    expect(await page.locator('header').textContent()).toContain('Acme Americas');
    // The header's account switcher asks for the password again and opens the other account.
    const sessionToken = () => page.evaluate(() => (JSON.parse(localStorage.getItem('lmc.session') ?? '{}') as { token?: string }).token ?? '');
    const answersMe = async (token: string) => (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;
    const americas = await sessionToken();
    await page.getByLabel('Account').selectOption({ label: 'Acme Europe' });
    await page.locator('header').getByLabel('Password').fill(a.password);
    await page.getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => page.locator('header').textContent(), { timeout: 20_000 }).toContain('multi@acme.test · Acme Europe');
    // Switching ends the session of the account left, on the server.
    expect(await answersMe(americas)).toBe(401);
    const europe = await sessionToken();
    expect(await answersMe(europe)).toBe(200);
    // An API error on a screen is shown with its message, inside the frame.
    await page.goto(`${server.url}/connections/999999/configure`);
    await page.getByRole('alert').filter({ hasText: 'LMC_ERR_' }).waitFor();
    await screenshot(page, 'api-error');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to lmc' }).waitFor();
    // Signing out revokes the token: a copy of it no longer works.
    expect(await answersMe(europe)).toBe(401);
    await page.close();
  });

  it('lists and searches users, keyboard first', async () => {
    const admin = await createAdmin(ctx, { email: 'users.admin@acme.test', accountName: 'Users Inc' });
    for (const [email, name] of [['ada@users.test', 'Ada Lovelace'], ['alan@users.test', 'Alan Turing'], ['grace@users.test', 'Grace Hopper']]) {
      await ctx.db.insertInto('users').values({ account_id: admin.account.id, email, name }).execute();
    }
    const page = await newPage();
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('cell', { name: 'Grace Hopper' }).waitFor();
    await page.getByLabel('Search users').fill('turing');
    await expect.poll(async () => page.locator('tbody tr').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('tbody').textContent()).toContain('alan@users.test');
    await page.getByLabel('Search users').fill('');
    await page.getByRole('cell', { name: 'Grace Hopper' }).waitFor();
    await screenshot(page, 'users');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'users-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    // Nobody sets another user's password: the administrator creates a one-time link and passes it on.
    await page.getByRole('button', { name: 'Create a password reset link for grace@users.test' }).click();
    const link = await page.getByRole('status').filter({ hasText: 'Give this one-time link to grace@users.test' }).getByRole('link').getAttribute('href');
    expect(link).toContain('/reset-password?token=');
    const reset = await newPage();
    await reset.goto(link!);
    await reset.getByLabel('New password').fill('grace sets her own password');
    await reset.getByLabel('Repeat it').fill('grace sets her own password');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.getByRole('status').filter({ hasText: 'Password set' }).waitFor();
    await reset.close();
    const signInAs = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'grace@users.test', password: 'grace sets her own password' }) });
    expect(signInAs.status).toBe(200);
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
    await page.close();
  });

  it('signs in with the keyboard alone', async () => {
    const admin = await createAdmin(ctx, { email: 'keys@acme.test', accountName: 'Keyboard Ltd' });
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in to lmc' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    // The skip link is the first stop and moves focus to the screen.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.close();
  });

  it('manages active fields, LRS keys and downloads a report', async () => {
    const admin = await createAdmin(ctx, { email: 'settings@acme.test', accountName: 'Settings Co' });
    const page = await newPage();
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();

    await page.goto(`${server.url}/users/active-fields`);
    await page.getByLabel('Name').fill('Region');
    await page.getByLabel('Kind').selectOption('csv');
    await page.getByLabel('group-able').check();
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByRole('cell', { name: 'Region', exact: true }).waitFor();
    // The same name in another case is refused by the API: its message is shown.
    await page.getByLabel('Name').fill('region');
    await page.getByRole('button', { name: 'Add field' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 }).toMatch(/LMC_ERR_/);
    await screenshot(page, 'active-fields');

    await page.getByRole('link', { name: 'LRS Keys' }).click();
    await page.getByLabel('Name').fill('Video platform');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('status').filter({ hasText: 'not shown again' }).waitFor();
    await page.getByRole('cell', { name: 'Video platform', exact: true }).waitFor();
    await screenshot(page, 'lrs-keys');

    await page.getByRole('link', { name: 'Reports' }).click();
    const first = page.getByRole('button', { name: /^Download / }).first();
    await first.waitFor();
    await screenshot(page, 'reports');
    const [d] = await Promise.all([page.waitForEvent('download'), first.click()]);
    const text = await fs.readFile((await d.path())!, 'utf8');
    expect(text.split('\n')[0]).toContain(',');
    // The learner transcript by status, and a unified report of the reports chosen here.
    const transcript = page.getByRole('row').filter({ hasText: 'Learner Transcript' }).first();
    await transcript.getByLabel('Status').selectOption({ label: 'Completed' });
    const [asked] = await Promise.all([page.waitForRequest(/\/api\/v1\/reports\/learner-transcript/), transcript.getByRole('button', { name: 'Download CSV: Learner Transcript' }).click()]);
    expect(new URL(asked.url()).searchParams.get('status')).toBe('completed');
    const unified = page.getByRole('row').filter({ has: page.getByRole('group', { name: 'Reports to combine' }) });
    expect(await unified.getByRole('button', { name: /^Download CSV/ }).isDisabled()).toBe(true);
    await unified.getByLabel('User', { exact: true }).check();
    await unified.getByLabel('Training', { exact: true }).check();
    await screenshot(page, 'reports');
    const [combined, both] = await Promise.all([page.waitForEvent('download'), page.waitForRequest(/\/api\/v1\/reports\/unified/), unified.getByRole('button', { name: /^Download CSV/ }).click()]);
    expect(new URL(both.url()).searchParams.get('include')).toBe('users,trainings');
    expect((await fs.readFile((await combined.path())!, 'utf8')).split('\n')[0]).toContain(',');
    await page.close();
  });

  it('keeps the frame with Try again when the server is unreachable; a server error never shows "0 runs" and gives the code', async () => {
    const admin = await createAdmin(ctx, { email: 'errors@acme.test', accountName: 'Errors Ltd' });
    const own = await startServer(ctx);
    const port = Number(new URL(own.url).port);
    const page = await newPage();
    await page.goto(`${own.url}/sign-in`);
    await signIn(page, own.url, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    // The server goes away: the next screen says so in plain words, inside the frame, with Try again.
    await own.app.close();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    const down = page.getByRole('alert').filter({ hasText: 'The lmc server cannot be reached' });
    await down.waitFor({ timeout: 20_000 });
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1);
    expect(await page.locator('main').textContent()).not.toContain('Failed to fetch');
    await screenshot(page, 'error-unreachable');
    // It comes back on the same port: Try again loads the screen.
    const again = await buildApi(ctx);
    await again.listen({ host: '127.0.0.1', port });
    try {
      await down.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('button', { name: /^Download / }).first().waitFor({ timeout: 20_000 });
      expect(await page.getByRole('alert').count()).toBe(0);

      // A server error (the runs table is briefly unusable): the words, the code for support, no run count.
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-errors-'));
      const conn = await createConnection(ctx, { accountId: admin.account.id, userId: admin.user.id }, { connectorId: 'local-directory', name: 'Drop', settings: { root: dir } });
      await sql`alter table runs rename to runs_away`.execute(ctx.db);
      try {
        await page.goto(`${own.url}/connections/${conn.id}/status?action=import-users`);
        const failed = page.getByRole('alert').filter({ hasText: 'Something went wrong on the server' });
        await failed.waitFor({ timeout: 20_000 });
        expect(await failed.textContent()).toMatch(/Code for support: LMC_ERR_[A-Z_]+/);
        expect(await page.locator('main').textContent()).not.toMatch(/\b0 runs?\b|0 run\(s\)/);
        await screenshot(page, 'error-server');
      } finally {
        await sql`alter table runs_away rename to runs`.execute(ctx.db);
      }
      await page.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
      await page.getByText('No runs yet.').waitFor({ timeout: 20_000 });
      await fs.rm(dir, { recursive: true, force: true });
    } finally {
      await again.close();
    }
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
    await page.close();
  }, 120_000);

  it('changes the own password from the header; the old one stops working', async () => {
    const admin = await createAdmin(ctx, { email: 'pw@acme.test', accountName: 'Password Co' });
    const page = await newPage();
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    await page.locator('header').getByRole('link', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Your account › Change password' }).waitFor();
    await page.getByLabel('Current password').fill(admin.password);
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Repeat the new password').fill('a different passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two new passwords differ' }).waitFor();
    await page.getByLabel('Repeat the new password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'change-password');
    const signInWith = (password: string) => fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password }) });
    expect((await signInWith(admin.password)).status).toBe(401);
    expect((await signInWith('a brand new passphrase')).status).toBe(200);
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
