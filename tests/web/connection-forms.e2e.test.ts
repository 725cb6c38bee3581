import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Api } from '../../src/api/types.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { canRunSshd, ensureTestUser, startSshd, TEST_USER, type RunningSshd } from '../file-drops/helpers/sshd.ts';
import { buildWebApp, createAdmin, launchBrowser, screenshot, signIn, startServer } from './web-harness.ts';

// The connection forms generated from the connectors' settings schemas, in Chromium against the real API and a
// real OpenSSH server: a union (Custom FTP's way of signing in) shows only its branch's fields, secrets are
// password inputs that say "saved" and never hold the stored value, a generated SSH key is downloaded.
const PASSWORD = 'forms-sftp-password-1';
const runnable = await canRunSshd();

let ctx: TestContext;
let server: { app: Api; url: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let webDir: string;
let sshd: RunningSshd;
let base: string;
let page: Page;
const jsErrors: string[] = [];

/** A form field by its label, with or without the required mark. */
const field = (p: Page, label: string) => p.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`));

describe.skipIf(!runnable)('connection forms in the browser', () => {
  beforeAll(async () => {
    const home = ensureTestUser(PASSWORD);
    [ctx, webDir, sshd] = await Promise.all([createTestContext(), buildWebApp(), startSshd()]);
    base = path.join(home, `forms-${process.pid}-${Date.now()}`);
    server = await startServer(ctx);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => jsErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await sshd?.stop();
    await server?.app.close();
    await ctx?.destroy();
    if (webDir) await fs.rm(webDir, { recursive: true, force: true });
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('Custom FTP: password or private key by the way of signing in, secrets saved unseen, a generated key downloaded', async () => {
    const admin = await createAdmin(ctx, { accountName: 'Forms Co' });
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    await page.goto(`${server.url}/connectors/custom-ftp/connect`);
    await page.getByRole('heading', { name: 'Connect Custom FTP' }).waitFor();
    // Labels are the schema's titles, help text is described-by (not part of the label).
    const host = field(page, 'SFTP server');
    expect(await host.getAttribute('aria-describedby')).toBeTruthy();
    expect(await page.getByText('Host name, or sftp://host:port').count()).toBe(1);
    // Signing in with a password: a password field, no private key.
    expect(await page.getByLabel('Sign in with').inputValue()).toBe('basic');
    expect(await field(page, 'Password').getAttribute('type')).toBe('password');
    expect(await field(page, 'Private key').count()).toBe(0);
    expect(await page.locator('textarea').count()).toBe(0);
    // With an SSH key: the private key and Generate SSH key, no password.
    await page.getByLabel('Sign in with').selectOption({ label: 'SSH key' });
    expect(await field(page, 'Password').count()).toBe(0);
    await field(page, 'Private key').waitFor();
    await page.getByLabel('Sign in with').selectOption({ label: 'Password' });

    await page.getByLabel('Connection name').fill('Partner SFTP');
    await host.fill(`sftp://127.0.0.1:${sshd.port}`);
    await field(page, 'User name').fill(TEST_USER);
    await field(page, 'Password').fill(PASSWORD);
    await field(page, 'Folder').fill(base);
    await screenshot(page, 'connect-custom-ftp');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('status').filter({ hasText: 'Connection works' }).waitFor({ timeout: 30_000 });

    // Configure: the stored password is not in the page; the field says it is saved. The host key is shown.
    const pw = field(page, 'Password');
    expect(await pw.inputValue()).toBe('');
    expect(await pw.getAttribute('required')).toBeNull();
    expect(await page.getByText('Saved. Leave empty to keep it').count()).toBe(1);
    expect(await page.content()).not.toContain(PASSWORD);
    expect(await page.getByTestId('host-key').textContent()).toMatch(/SHA256:/);
    expect(await page.getByRole('button', { name: "Download this connection's public key" }).count()).toBe(0);

    // Switch to an SSH key: generate it (the public key is downloaded), authorize it, save, test.
    await page.getByLabel('Sign in with').selectOption({ label: 'SSH key' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Generate SSH key' }).click()]);
    const publicKey = await fs.readFile((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/\.pub$/);
    expect(publicKey).toMatch(/^ssh-ed25519 AAAA\S+/);
    await sshd.authorize(publicKey.trim());
    await screenshot(page, 'configure-custom-ftp-ssh-key');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).first().waitFor({ timeout: 30_000 });
    const stored = await ctx.db.selectFrom('connections').select('settings').where('name', '=', 'Partner SFTP').executeTakeFirstOrThrow();
    expect(stored.settings).toMatchObject({ authType: 'certificate', privateKey: { $enc: expect.any(String) } });
    expect(stored.settings).not.toHaveProperty('password');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status').filter({ hasText: 'Connection works' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: "Download this connection's public key" }).waitFor();
    expect(jsErrors).toEqual([]);
  }, 120_000);

  it('Box: titles and help from the schema, the client secret as a password input', async () => {
    await page.goto(`${server.url}/connectors/box/connect`);
    await page.getByRole('heading', { name: 'Connect Box' }).waitFor();
    await page.getByLabel('Client ID').waitFor();
    expect(await page.getByLabel('Client secret').getAttribute('type')).toBe('password');
    const text = (await page.locator('form').textContent()) ?? '';
    // No property names turned into words.
    expect(text).not.toMatch(/Client Id|Api Base Url|Root Folder Id|\(JSON\)/);
    expect(jsErrors).toEqual([]);
  }, 60_000);
});
