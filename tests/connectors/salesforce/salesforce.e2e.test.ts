import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../../helpers/test-context.ts';
import { buildWebApp, createAdmin, launchBrowser, screenshot, signIn, startServer } from '../../web/web-harness.ts';
import type { Api } from '../../../src/api/types.ts';
import { createConnection } from '../../../src/engine/connections.ts';
import { createActiveField } from '../../../src/platform/fields/active-fields.ts';
import { DEFAULT_SF_APP, startSalesforceSimulator, type SalesforceSimulator } from '../../../simulators/salesforce/server.ts';

// In Chromium: an admin connects a (simulated) Salesforce org with Connect, then maps Contacts' fields (from
// describe, custom fields and ReportsTo's e-mail included). Screenshots for docs/connectors/salesforce.md.
let ctx: TestContext;
let server: { app: Api; url: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let webDir: string;
let sim: SalesforceSimulator;
let page: Page;
const jsErrors: string[] = [];

beforeAll(async () => {
  [ctx, webDir] = await Promise.all([createTestContext(), buildWebApp()]);
  server = await startServer(ctx);
  ctx.config.publicUrl = server.url;
  sim = await startSalesforceSimulator({ redirectUris: [`${server.url}/api/v1/oauth/callback`] });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => jsErrors.push(e.message));
});
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await ctx?.destroy();
  await sim?.close();
  if (webDir) await fs.rm(webDir, { recursive: true, force: true });
});

describe('Salesforce in the browser', () => {
  it('connects an org at its sign-in page and maps the Contacts fields', async () => {
    const admin = await createAdmin(ctx, { accountName: 'Acme Salesforce' });
    await createActiveField(ctx.db, admin.account.id, { name: 'Department', kind: 'csv', groupable: true });
    const c = await createConnection(ctx, { accountId: admin.account.id, userId: admin.user.id }, {
      connectorId: 'salesforce', name: 'Partner contacts',
      settings: { orgUrl: sim.url, auth: { clientId: DEFAULT_SF_APP.clientId, clientSecret: DEFAULT_SF_APP.clientSecret }, importFrom: { object: 'Contact', subset: { field: 'Partner_Level__c', values: ['Gold', 'Silver'] } } },
    });
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('link', { name: /Connectors/ }).first().waitFor();
    await page.goto(`${server.url}/connections/${c.id}/configure`);
    await page.getByRole('heading', { name: 'Access to Salesforce' }).waitFor();
    await page.getByRole('button', { name: 'Connect to Salesforce' }).click();
    await page.waitForURL(`${server.url}/connections/${c.id}/configure?authorized=1`);
    await page.getByText(/^Connected: Salesforce allowed this connection/).waitFor();
    await screenshot(page, 'salesforce-connected');
    await page.goto(`${server.url}/connections/${c.id}/mapping?action=import-users`);
    await page.getByRole('heading', { name: /Map Attributes/ }).waitFor();
    await page.locator('option', { hasText: "Reports To's Email" }).first().waitFor({ state: 'attached' });
    await screenshot(page, 'salesforce-mapping');
    expect(jsErrors).toEqual([]);
  }, 180_000);
});
