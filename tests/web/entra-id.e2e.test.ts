/**
 * A new integration admin connects Microsoft Entra ID in a real browser (the spec's ADFS connector) against the
 * Graph simulator: Getting Started, Connect with the app registration, Map Attributes from Graph's user
 * fields, a dry run, a run. Screenshots for docs/connectors/entra-id.md (docs/screenshots/entra-id-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { DEFAULT_GRAPH_APP, startGraphSimulator, type GraphSimulator } from '../../simulators/graph/server.ts';
import { saveSourceMapping, screenshot, signInToTile, sourceField, startDryRun, startWebStack, waitForRun, type WebStack } from './web-harness.ts';

const USERS = 300;
let stack: WebStack;
let sim: GraphSimulator;
let page: Page;

beforeAll(async () => {
  sim = await startGraphSimulator({ users: USERS, seed: 3 });
  stack = await startWebStack({ accountName: 'Contoso Learning' });
  await createActiveField(stack.ctx.db, stack.admin.account.id, { name: 'Department', kind: 'csv', groupable: true });
  page = stack.page;
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describe('Microsoft Entra ID in the browser', () => {
  it('a new admin connects the tenant, maps Graph fields, dry-runs and runs the user import', async () => {
    const tile = await signInToTile(stack, 'Microsoft Entra ID');
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
    await sourceField(page, 'Email').waitFor();
    expect(await sourceField(page, 'Active field: Department').locator('option', { hasText: /^On premises extension attributes: extension attribute 1$/ }).count()).toBe(1);
    await saveSourceMapping(page, { Email: 'mail', Name: 'displayName', Manager: 'manager.mail', 'Profile: title': 'jobTitle', 'Active field: Department': 'department' });
    await screenshot(page, 'entra-id-mapping');

    // Dry run: the change set, nothing applied.
    await startDryRun(page);
    const dry = await waitForRun(page, 1);
    expect(dry.status).toBe('completed');
    await dry.row.getByRole('button', { name: 'Download change-set.csv' }).waitFor();
    expect(await dry.row.locator('[data-count=created]').textContent()).toBe(`would create ${USERS}`);
    await screenshot(page, 'entra-id-dry-run');
    const count = async () => Number((await stack.ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', stack.admin.account.id).executeTakeFirstOrThrow()).n);
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
    expect(stack.jsErrors).toEqual([]);
  }, 300_000);
});
