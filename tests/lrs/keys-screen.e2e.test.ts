import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildWebApp, createAdmin, launchBrowser, screenshot, signIn, startServer } from '../web/web-harness.ts';

// Settings > LRS keys in Debian's chromium against the real API: the xAPI version of a key.
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

describe('LRS keys screen', () => {
  it('creates a key for xAPI 1.0.3 content and shows each key\'s version in words', async () => {
    const admin = await createAdmin(ctx, { email: 'lrs@acme.test', accountName: 'LRS Co' });
    const page = await browser.context.newPage();
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    await page.getByRole('link', { name: 'LRS Keys' }).click();

    await page.getByLabel('Name').fill('Video platform');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('cell', { name: 'Video platform', exact: true }).waitFor();

    await page.getByLabel('Name').fill('Compliance courses');
    await page.getByLabel('xAPI version its clients use').selectOption({ label: 'xAPI 1.0.3 (earlier content and tools)' });
    await page.getByRole('button', { name: 'Create key' }).click();
    const status = page.getByRole('status').filter({ hasText: 'not shown again' });
    await page.getByRole('cell', { name: 'Compliance courses', exact: true }).waitFor();
    const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
    expect(await row('Compliance courses').getByRole('cell', { name: 'xAPI 1.0.3 (earlier content and tools)' }).count()).toBe(1);
    expect(await row('Video platform').getByRole('cell', { name: 'xAPI 2.0 (current standard)' }).count()).toBe(1);
    expect(await page.getByRole('columnheader', { name: 'xAPI version' }).count()).toBe(1);

    // The key made on the screen answers a request naming no version as a 1.0.3 LRS.
    const codes = Array.from((await status.textContent())!.matchAll(/Key (\S+), secret (\S+)/g))[0];
    const auth = 'Basic ' + Buffer.from(`${codes[1]}:${codes[2]}`).toString('base64');
    const r = await fetch(`${server.url}/xapi/statements`, { headers: { Authorization: auth } });
    expect([r.status, r.headers.get('x-experience-api-version')]).toEqual([400, '1.0.3']);
    await screenshot(page, 'lrs-keys');
    await page.close();
  });
});
