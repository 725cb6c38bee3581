import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { checkHostedPassword, createResetToken, ensureHostedAccount } from '../../src/kit/file-sources/hosted-drop.ts';
import { createAccount } from '../../src/platform/accounts.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { CHROMIUM, launchBrowser, startServer } from '../web/web-harness.ts';

let ctx: TestContext;
let app: Api;
let url: string;

describe.skipIf(!fs.existsSync(CHROMIUM))('the one-time reset link in a browser', () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    ({ app, url } = await startServer(ctx));
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.destroy();
    if (ctx) fs.rmSync(ctx.config.dataDir, { recursive: true, force: true });
  });

  it('sets the hosted SFTP password once', async () => {
    const account = await createAccount(ctx.db, { name: 'Reset Page Co' });
    await ensureHostedAccount(ctx.db, ctx.config.dataDir, account.id, 'ops@reset.test');
    const { token } = await createResetToken(ctx.db, account.id);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${url}/ftp/reset-password?token=${encodeURIComponent(token)}`);
      await page.getByLabel('New password').fill('browser set password');
      await page.getByLabel('Repeat it').fill('browser set password');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText(`Password set. Log in with SFTP as "${account.slug}".`).waitFor();
      expect(await checkHostedPassword(ctx.db, account.slug, 'browser set password')).toMatchObject({ accountId: account.id });
      await page.goto(`${url}/ftp/reset-password?token=${encodeURIComponent(token)}`);
      await page.getByLabel('New password').fill('another long password');
      await page.getByLabel('Repeat it').fill('another long password');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText(/link is invalid, used or expired/).waitFor();
    } finally {
      await browser.close();
    }
  });
});
