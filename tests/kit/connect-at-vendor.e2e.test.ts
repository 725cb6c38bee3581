import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
process.env.LMC_EXTRA_CONNECTOR_DIRS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildWebApp, createAdmin, launchBrowser, signIn, startServer } from '../web/web-harness.ts';
import type { Api } from '../../src/api/types.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { CLIENT, startOAuthServer, type OAuthServer } from './oauth-server.ts';

// Connect in the browser for a connector whose admin signs in at the vendor: the button opens the vendor's
// page (tests/kit/oauth-server.ts allows at once), the vendor sends the browser back, the page says connected.
let ctx: TestContext;
let server: { app: Api; url: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let webDir: string;
let vendor: OAuthServer;
let page: Page;
const jsErrors: string[] = [];

beforeAll(async () => {
  [ctx, webDir, vendor] = await Promise.all([createTestContext(), buildWebApp(), startOAuthServer()]);
  server = await startServer(ctx);
  ctx.config.publicUrl = server.url; // the redirect URI registered at the vendor
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => jsErrors.push(e.message));
});
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await ctx?.destroy();
  await vendor?.close();
  if (webDir) await fs.rm(webDir, { recursive: true, force: true });
});

describe('Connect at the vendor, in the browser', () => {
  it('opens the vendor sign-in page and comes back connected', async () => {
    const admin = await createAdmin(ctx, { accountName: 'Acme Connect' });
    const c = await createConnection(ctx, { accountId: admin.account.id, userId: admin.user.id }, {
      connectorId: 'oauth-test', name: 'CRM', settings: { baseUrl: vendor.base, auth: { clientId: CLIENT.id, clientSecret: CLIENT.secret } },
    });
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('link', { name: /Connectors/ }).first().waitFor();
    await page.goto(`${server.url}/connections/${c.id}/configure`);
    await page.getByRole('heading', { name: 'Access to OAuth test vendor' }).waitFor();
    await page.getByText('Not connected yet.').waitFor();
    await page.getByRole('button', { name: 'Connect to OAuth test vendor' }).click();
    await page.waitForURL(`${server.url}/connections/${c.id}/configure?authorized=1`);
    await page.getByText(/^Connected: OAuth test vendor allowed this connection/).waitFor();
    expect(page.url()).not.toContain('code=');
    const tokens = await ctx.db.selectFrom('connection_tokens').select(['sealed', 'needs_reauth_reason']).where('connection_id', '=', c.id).executeTakeFirstOrThrow();
    expect(tokens.sealed).not.toBeNull();
    expect(jsErrors).toEqual([]);
  }, 90_000);
});
