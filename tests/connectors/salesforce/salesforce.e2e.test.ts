/**
 * In Chromium, a new integration admin and a (simulated) Salesforce org: Connect with the org URL and the
 * connected app, sign in at the org, choose "Yes, a subset" of Contacts with a column and its values offered
 * from the org's data, map the fields (ReportsTo's e-mail as the manager), run the import and see the refused
 * record by its Salesforce id; then the transcript export linked with Contacts, scheduled daily, run, with its
 * per-record results. Screenshots for docs/connectors/salesforce.md (docs/screenshots/salesforce-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSourceMapping, screenshot, signInToTile, sourceField, startWebStack, waitForRun, type WebStack } from '../../web/web-harness.ts';
import { createActiveField } from '../../../src/platform/fields/active-fields.ts';
import { enroll, updateEnrollment } from '../../../src/platform/enrollments/enrollments.ts';
import { createTraining } from '../../../src/platform/trainings/trainings.ts';
import { DEFAULT_SF_APP, startSalesforceSimulator, type SalesforceSimulator } from '../../../simulators/salesforce/server.ts';

let stack: WebStack;
let sim: SalesforceSimulator;

beforeAll(async () => {
  stack = await startWebStack({
    accountName: 'Acme Salesforce',
    // The org's connected app accepts the server's OAuth callback only: the server's URL is known once it listens.
    beforeAdmin: async (ctx, url) => {
      ctx.config.publicUrl = url;
      sim = await startSalesforceSimulator({ contacts: 30, redirectUris: [`${url}/api/v1/oauth/callback`] });
    },
  });
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

const latestRun = async (accountId: number, actionId: string) =>
  (await stack.ctx.db.selectFrom('runs').select(['id']).where('account_id', '=', accountId).where('action_id', '=', actionId).orderBy('id', 'desc').executeTakeFirst())?.id;

describe('Salesforce in the browser', () => {
  it('a new admin connects an org, imports a subset of Contacts with managers, and exports the transcript linked with Contacts every day', async () => {
    const { ctx, server, admin, page, jsErrors } = stack;
    await createActiveField(ctx.db, admin.account.id, { name: 'Department', kind: 'csv', groupable: true });
    // A contact of the subset whose e-mail the import refuses: the run names it by its Salesforce id.
    const broken = sim.store.insert('Contact', { FirstName: 'Bro', LastName: 'Ken', Email: 'not-an-address', Region__c: 'AMER', Title: 'Partner', Department: 'Sales' }).Id as string;
    const amer = sim.store.all('Contact').filter((c) => c.Region__c === 'AMER');

    // Connect: the org URL and the connected app, then Contacts.
    const tile = await signInToTile(stack, 'Salesforce');
    await tile.getByRole('link', { name: 'Connect Salesforce' }).click();
    await page.getByLabel('Connection name').fill('Partner contacts');
    await page.getByLabel('Org URL').fill(sim.url);
    await page.getByLabel(/^Client id/i).fill(DEFAULT_SF_APP.clientId);
    await page.getByLabel(/^Client secret/i).fill(DEFAULT_SF_APP.clientSecret);
    await page.getByLabel('Import Internal Users from').selectOption('Contact');
    await screenshot(page, 'salesforce-connect');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('heading', { name: 'Access to Salesforce' }).waitFor();
    await page.getByRole('button', { name: 'Connect to Salesforce' }).click();
    await page.waitForURL(/\/configure\?authorized=1$/);
    await page.getByText(/^Connected: Salesforce allowed this connection/).waitFor();
    await screenshot(page, 'salesforce-connected');

    // "Yes, a subset": the column and its values come from the org (describe, then a GROUP BY of the column).
    await page.getByLabel('Import a subset of Contacts?').selectOption('some');
    const column = page.getByLabel('Contacts column');
    await column.locator('option', { hasText: 'Region (custom)' }).waitFor({ state: 'attached' });
    await column.selectOption('Region__c');
    const amerBox = page.getByRole('checkbox', { name: `AMER (${amer.length})` });
    await amerBox.waitFor();
    expect(await page.getByRole('checkbox', { name: /^EMEA \(\d+\)$/ }).count()).toBe(1);
    await amerBox.check();
    await screenshot(page, 'salesforce-subset');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const conn = (await ctx.db.selectFrom('connections').select(['id']).where('account_id', '=', admin.account.id).executeTakeFirstOrThrow()).id;

    // Map Attributes: describe's Contact fields; the manager is the e-mail of the contact this one reports to.
    await page.goto(`${server.url}/connections/${conn}/mapping?action=import-users`);
    await page.getByRole('heading', { name: /Map Attributes/ }).waitFor();
    await sourceField(page, 'Email').locator('option[value="ReportsTo.Email"]').waitFor({ state: 'attached' });
    await saveSourceMapping(page, { Email: 'Email', Name: 'Name', Manager: 'ReportsTo.Email', 'Profile: title': 'Title', 'Active field: Department': 'Department' });
    await screenshot(page, 'salesforce-mapping');

    // The import: the subset with its managers; the refused contact listed by its Salesforce id.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const imported = await waitForRun(page, (await latestRun(admin.account.id, 'import-users'))!);
    expect(imported.status).toBe('completed_with_errors');
    const rejects = imported.row.getByRole('table', { name: 'Rejected records' });
    await rejects.getByRole('cell', { name: broken, exact: true }).waitFor();
    await screenshot(page, 'salesforce-import-rejects');
    const users = await ctx.db.selectFrom('users as u').leftJoin('users as m', 'm.id', 'u.manager_id').select(['u.email', 'm.email as manager']).where('u.account_id', '=', admin.account.id).execute();
    // The admin, and every contact of the subset but the refused one.
    expect(users).toHaveLength(amer.length);
    const report = amer.find((c) => c.ReportsToId)!;
    expect(users.find((u) => u.email === report.Email)!.manager).toBe(sim.store.get('Contact', report.ReportsToId as string)!.Email);

    // Learning records of three imported contacts; the org refuses one learner's records.
    const course = await createTraining(ctx.db, admin.account.id, { loId: 'course:1', type: 'course', name: 'Partner onboarding' });
    const learners = amer.slice(0, 3).map((c) => String(c.Email));
    for (const email of learners) {
      const e = await enroll(ctx.db, admin.account.id, { user: email, trainingId: course.id });
      await updateEnrollment(ctx.db, admin.account.id, e.id, { status: 'completed', progress: 100, score: 90 });
    }
    sim.store.addRule('Learning_Transcript__c', (r) => (r.Learner_Email__c === learners[2] ? { message: 'Learner is on a legal hold', field: 'Learner_Email__c' } : undefined));

    // The export: linked with Contacts, every day.
    await page.goto(`${server.url}/connections/${conn}/mapping?action=export-learning-records`);
    await page.getByLabel('Link events with').selectOption('Contact');
    await screenshot(page, 'salesforce-export-settings');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('link', { name: 'Configure Schedule' }).click();
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const enable = page.getByLabel('Enable Schedule');
    if (!(await enable.isChecked())) await enable.check();
    await page.getByLabel('Start date').fill(day(tomorrow));
    await page.getByLabel('Start time').fill('02:00');
    await page.getByLabel('Every').fill('1');
    await page.getByLabel('Unit').selectOption('days');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('status').filter({ hasText: 'Schedule saved.' }).waitFor();
    await page.getByTestId('next-run').waitFor();
    await screenshot(page, 'salesforce-export-schedule');
    const schedule = (await ctx.db.selectFrom('schedules').selectAll().where('connection_id', '=', conn).where('action_id', '=', 'export-learning-records').executeTakeFirstOrThrow()) as Record<string, unknown>;
    expect(schedule).toMatchObject({ every_n: 1, unit: 'days', enabled: true });

    // Run it now: per-record results, the refused record with Salesforce's code.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByLabel(/^Start date/).fill(day(new Date(Date.now() - 24 * 3600_000)));
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const exported = await waitForRun(page, (await latestRun(admin.account.id, 'export-learning-records'))!);
    expect(exported.status).toBe('completed_with_errors');
    expect(await exported.row.locator('[data-count=written]').textContent()).toBe('2 rows written');
    const refused = exported.row.getByRole('table', { name: 'Rejected records' });
    await refused.getByRole('cell', { name: /^FIELD_CUSTOM_VALIDATION_EXCEPTION: Learner is on a legal hold/ }).waitFor();
    expect(await refused.getByRole('cell', { name: /^lmc-\d+-\d+-course:1-/ }).count()).toBe(1);
    await screenshot(page, 'salesforce-export-results');
    const records = sim.store.all('Learning_Transcript__c');
    expect(records).toHaveLength(2);
    const contact0 = sim.store.all('Contact').find((c) => c.Email === learners[0])!;
    expect(records.find((r) => r.Learner_Email__c === learners[0])!.Contact__c).toBe(contact0.Id);
    expect(jsErrors).toEqual([]);
  }, 420_000);
});
