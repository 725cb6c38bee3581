/**
 * A new integration admin connects Microsoft Entra ID in a real browser (the spec's ADFS connector) against the
 * Graph simulator: Getting Started, Connect with the app registration, Map Attributes from Graph's user
 * fields, a dry run, a run. Screenshots for docs/connectors/entra-id.md (docs/screenshots/entra-id-*.png).
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Api } from '../../src/api/types.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker } from '../../src/engine/worker.ts';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { DEFAULT_GRAPH_APP, startGraphSimulator, type GraphSimulator } from '../../simulators/graph/server.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildWebApp, createAdmin, launchBrowser, screenshot, signIn, startServer, waitForRun } from './web-harness.ts';

const USERS = 300;
let ctx: TestContext;
let server: { app: Api; url: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let worker: { stop(): Promise<void> };
let webDir: string;
let sim: GraphSimulator;
let admin: Awaited<ReturnType<typeof createAdmin>>;
let page: Page;
const jsErrors: string[] = [];

beforeAll(async () => {
  sim = await startGraphSimulator({ users: USERS, seed: 3 });
  [ctx, webDir] = await Promise.all([createTestContext(), buildWebApp()]);
  server = await startServer(ctx);
  worker = await startWorker(ctx, { timings: engineTimings() });
  browser = await launchBrowser();
  admin = await createAdmin(ctx, { accountName: 'Contoso Learning' });
  await createActiveField(ctx.db, admin.account.id, { name: 'Department', kind: 'csv', groupable: true });
  page = await browser.context.newPage();
  page.on('pageerror', (e) => jsErrors.push(e.message));
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await server?.app.close();
  await ctx?.destroy();
  await sim?.close();
  if (webDir) await fs.rm(webDir, { recursive: true, force: true });
});

describe('Microsoft Entra ID in the browser', () => {
  it('a new admin connects the tenant, maps Graph fields, dry-runs and runs the user import', async () => {
    await signIn(page, server.url, admin.email, admin.password);
    const tile = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Microsoft Entra ID' }) });
    await tile.waitFor();
    await tile.getByRole('link', { name: /Getting Started/ }).click();
    await page.getByRole('heading', { name: /Getting Started: Microsoft Entra ID/ }).waitFor();
    await page.getByRole('link', { name: 'Connect', exact: true }).click();

    // Connect: the tenant and the app registration (the form comes from the connector's settings schema).
    await page.getByLabel('Connection name').fill('Contoso directory');
    await page.getByLabel('Directory (tenant) ID').fill(DEFAULT_GRAPH_APP.tenantId);
    const appRegistration = page.getByRole('group', { name: 'App registration' });
    await appRegistration.getByLabel('Client ID').fill(DEFAULT_GRAPH_APP.clientId);
    await appRegistration.getByLabel('Client secret').fill(DEFAULT_GRAPH_APP.clientSecret);
    // The simulator stands in for Microsoft's cloud.
    await page.getByLabel('Microsoft Graph address (advanced)').fill(`${sim.url}/v1.0`);
    await page.getByLabel('Sign-in address (advanced)').fill(sim.url);
    await screenshot(page, 'entra-id-connect');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Connection works' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'Microsoft Graph lists its users' }).count()).toBe(1);
    await screenshot(page, 'entra-id-configure');

    // Map Attributes: the right side offers Graph's user fields (from $metadata), not CSV columns.
    await page.getByRole('link', { name: 'Mapping' }).click();
    await page.getByRole('heading', { name: /Map Attributes/ }).waitFor();
    await page.getByRole('columnheader', { name: 'Source field' }).waitFor();
    expect(await page.getByLabel('Template CSV').count()).toBe(0);
    // Each select offers Graph's fields by their labels; the mapping saves the property names.
    const field = (platform: string) => page.getByLabel(`Source field for ${platform}`, { exact: true });
    await field('Email').selectOption('mail');
    await field('Name').selectOption('displayName');
    await field('Manager').selectOption('manager.mail');
    await field('Profile: title').selectOption('jobTitle');
    expect(await field('Active field: Department').locator('option', { hasText: /^On premises extension attributes: extension attribute 1$/ }).count()).toBe(1);
    await field('Active field: Department').selectOption('department');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Mapping saved.' }).waitFor();
    await screenshot(page, 'entra-id-mapping');

    // Dry run: the change set, nothing applied.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByLabel(/Dry run/).check();
    await page.getByRole('button', { name: 'Start dry run' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const dry = await waitForRun(page, 1);
    expect(dry.status).toBe('completed');
    await dry.row.getByRole('button', { name: 'Download change-set.csv' }).waitFor();
    expect(await dry.row.locator('[data-count=created]').textContent()).toBe(`would create ${USERS}`);
    await screenshot(page, 'entra-id-dry-run');
    const count = async () => Number((await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', admin.account.id).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(1);

    // The run: every user of the tenant, with its manager.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const run = await waitForRun(page, 2);
    expect(run.status).toBe('completed');
    expect(await run.row.locator('[data-count=created]').textContent()).toBe(`created ${USERS}`);
    await screenshot(page, 'entra-id-run');
    expect(await count()).toBe(USERS + 1);
    expect(jsErrors).toEqual([]);
  }, 300_000);
});
