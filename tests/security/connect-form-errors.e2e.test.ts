import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildWebApp, createAdmin, launchBrowser, signIn, startServer } from '../web/web-harness.ts';

// Issue 13, points 2-4 and 12 as an integration admin sees them on the Connect form: a refused folder or
// server is explained in words (what is wrong, what to do), the form stays, and nothing is saved.
let ctx: TestContext;
let server: { app: Api; url: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let webDir: string;

beforeAll(async () => {
  // The product's defaults: no extra local folders, no private addresses.
  [ctx, webDir] = await Promise.all([createTestContext({ LMC_LOCAL_DROP_ROOTS: '', LMC_OUTBOUND_ALLOW_PRIVATE: 'false' }), buildWebApp()]);
  server = await startServer(ctx);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await ctx?.destroy();
  if (webDir) await fs.rm(webDir, { recursive: true, force: true });
});

describe('Connect form: refused settings read well and save nothing', () => {
  it('explains a folder outside the allowed ones, a system folder and a private server', async () => {
    const admin = await createAdmin(ctx, { accountName: 'Form Co' });
    const page = await browser.context.newPage();
    const jsErrors: string[] = [];
    page.on('pageerror', (e) => jsErrors.push(e.message));
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('heading', { name: /Connectors/ }).first().waitFor();

    const own = path.join(ctx.config.dataDir, 'drops', String(admin.account.id));
    const cases: Array<[string, RegExp]> = [
      [ctx.config.dataDir, new RegExp(`data folder cannot be used; use ${own.replace(/[/.]/g, '\\$&')}`)],
      ['/srv/elsewhere', /use a folder inside .*drops.*the operator of this hub sets which folders are allowed/],
      ['/proc/self', /system folders \(\/proc, \/sys, \/dev\) cannot hold files/],
    ];
    for (const [root, said] of cases) {
      await page.goto(`${server.url}/connectors/local-directory/connect`);
      await page.getByLabel('Connection name').fill('Local drop');
      await page.getByLabel(/^Folder on the server/).fill(root);
      await page.getByRole('button', { name: 'Connect' }).click();
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toMatch(/cannot be used as a local directory drop/);
      const text = (await alert.textContent()) ?? '';
      expect(text, root).toMatch(said);
      expect(text).not.toMatch(/ENOENT|EACCES|Error:|at .*\.ts:\d+|Internal Server Error/);
      expect(new URL(page.url()).pathname).toBe('/connectors/local-directory/connect');
    }

    await page.goto(`${server.url}/connectors/custom-ftp/connect`);
    await page.getByLabel('Connection name').fill('Our SFTP');
    await page.getByLabel(/^SFTP server/).fill('10.0.0.8');
    await page.getByLabel(/^User name/).fill('lmc');
    await page.getByLabel(/^Password/).fill('secret');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
      .toMatch(/does not allow connections to servers on private or local network addresses: 10\.0\.0\.8 \(use the server's public address, or ask the operator to allow this one\)/);

    expect(await ctx.db.selectFrom('connections').select('id').execute()).toEqual([]);
    expect(jsErrors).toEqual([]);
  });
});
