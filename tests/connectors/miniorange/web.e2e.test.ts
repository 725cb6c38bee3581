/**
 * The spec's miniOrange steps in a real browser (Chromium) against the real API, worker, database and the
 * SCIM simulator: Connect from the tile (the credentials as a group of fields, the token masked), map
 * miniOrange's attributes (custom ones included) by their names, run, read the counts, set filters, the Import Log
 * and the Data Sources; the screenshots of docs/connectors/miniorange.md are taken here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createActiveField } from '../../../src/platform/fields/active-fields.ts';
import { screenshot, signInToTile, startWebStack, waitForRun, type WebStack } from '../../web/web-harness.ts';
import { startMiniOrangeSimulator, type MiniOrangeSimulator } from '../../../simulators/miniorange/server.ts';

let stack: WebStack;
let sim: MiniOrangeSimulator;
let page: Page;

beforeAll(async () => {
  sim = await startMiniOrangeSimulator({ users: 40, maxResults: 15 });
  stack = await startWebStack({ accountName: 'Acme Learning' });
  await createActiveField(stack.ctx.db, stack.admin.account.id, { name: 'Department', kind: 'csv', groupable: true });
  await createActiveField(stack.ctx.db, stack.admin.account.id, { name: 'Business unit', kind: 'csv', groupable: true });
  page = stack.page;
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describe('miniOrange in the browser', () => {
  it('connects, maps miniOrange attributes, imports, filters, and shows the import log and data source', async () => {
    const tile = await signInToTile(stack, 'miniOrange');
    await tile.getByRole('link', { name: 'Connect miniOrange' }).click();
    await page.getByRole('heading', { name: 'Connect miniOrange' }).waitFor();

    // The form comes from the settings schema: the bearer token sits in its own group, masked.
    await page.getByLabel('Connection name').fill('miniOrange');
    await page.getByLabel('SCIM Base URL').fill(sim.scimBaseUrl);
    const token = page.getByRole('group', { name: 'Bearer Token' }).getByLabel('Token');
    expect(await token.getAttribute('type')).toBe('password');
    await token.fill(sim.token);
    await screenshot(page, 'miniorange-connect');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Connection works' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByText(/40 users visible/).count()).toBe(1);

    // Mapping: miniOrange's own fields, by their names.
    await page.getByRole('link', { name: 'Mapping' }).click();
    await page.getByLabel('Action').selectOption({ label: 'Import Internal Users' });
    await page.getByRole('heading', { name: /Map Attributes/ }).waitFor();
    await page.getByTestId('source-fields').waitFor();
    expect(await page.getByRole('button', { name: 'Discover columns from the files in the drop' }).count()).toBe(0);
    await page.getByLabel('Source field for Email').selectOption({ label: 'Emails (primary)' });
    await page.getByLabel('Source field for Name').selectOption({ label: 'Name: formatted' });
    await page.getByLabel('Source field for Manager').selectOption({ label: "Manager (linked by the manager's miniOrange id)" });
    await page.getByLabel('Source field for Profile: title').selectOption({ label: 'Title' });
    await page.getByLabel('Source field for Active field: Department').selectOption({ label: 'Enterprise user: Department' });
    await page.getByLabel('Source field for Active field: Business unit').selectOption({ label: 'Custom attributes: Business unit' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Mapping saved.' }).waitFor();
    await screenshot(page, 'miniorange-mapping');

    // Run: every page read, users created, managers linked by id.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const run = await waitForRun(page, 1);
    expect(run.status).toBe('completed');
    // 40 users, every 10th inactive (3 of them: the root is active): 37 created.
    expect(await run.row.locator('[data-count=created]').textContent()).toBe('created 37');
    await screenshot(page, 'miniorange-execution-status');
    const child = sim.store.all()[1];
    const u = await stack.ctx.db.selectFrom('users as u').leftJoin('users as m', 'm.id', 'u.manager_id').select(['m.email as manager', 'u.fields']).where('u.email', '=', child.emails[0].value).executeTakeFirstOrThrow();
    expect(u.manager).toBe(sim.store.all()[0].emails[0].value);

    // Filters: a condition on a miniOrange attribute, chosen by its name; what happens to users who leave.
    await page.getByRole('link', { name: 'Filters' }).click();
    await page.getByRole('button', { name: 'Add new Filter' }).click();
    await page.getByLabel('Field of filter 1').selectOption({ label: 'Custom attributes: Business unit' });
    await page.getByLabel('Values (comma-separated)').fill('EMEA, APAC');
    await page.getByLabel('Users no longer in this source (removed or deactivated there)').selectOption('suspend');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Filters saved.' }).waitFor();
    await screenshot(page, 'miniorange-filters');
    const opts = await stack.ctx.db.selectFrom('action_settings').select('options').where('action_id', '=', 'import-users').executeTakeFirstOrThrow();
    expect((opts.options as { filters: unknown }).filters).toEqual({ managers: [], values: [{ column: 'urn:miniorange:params:scim:schemas:extension:CustomAttributes:2.0:User:businessUnit', values: ['EMEA', 'APAC'] }] });

    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('link', { name: 'Import Log', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Users › Import Log' }).waitFor();
    await expect.poll(() => page.locator('table[aria-label="Runs"] tbody tr').count(), { timeout: 20_000 }).toBe(1);
    await screenshot(page, 'miniorange-import-log');
    // The spec: "You receive a notification upon completion of import".
    await page.getByRole('link', { name: 'Notifications', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.getByText('miniOrange: Import Internal Users completed').first().waitFor();
    await screenshot(page, 'miniorange-notification');
    await page.getByRole('link', { name: 'Data Sources' }).click();
    await page.getByRole('cell', { name: 'miniOrange' }).first().waitFor();
    await screenshot(page, 'miniorange-data-sources');
    expect(stack.jsErrors).toEqual([]);
  }, 240_000);
});
