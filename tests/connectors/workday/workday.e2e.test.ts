/**
 * The spec's Workday steps in a real browser (Chromium) against the real API, worker, database and the Workday
 * SOAP simulator: Connect from the tile (host URL, tenant, the integration system user, contingent workers
 * excluded), map Workday attributes, a dry run, the run, and an on-demand export of user skills. The
 * screenshots of docs/connectors/workday.md are taken here (docs/screenshots/workday-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKDAY_ISU, startWorkdaySimulator, type WorkdaySimulator } from '../../../simulators/workday/server.ts';
import { skillItemId, skillItemName } from '../../../src/connectors/workday/actions/export-user-skills.ts';
import { createActiveField } from '../../../src/platform/fields/active-fields.ts';
import { recordAchievement } from '../../../src/platform/skills/skill-achievements.ts';
import { createSkill } from '../../../src/platform/skills/skills.ts';
import { saveSourceMapping, screenshot, signInToTile, startDryRun, startWebStack, waitForRun, type WebStack } from '../../web/web-harness.ts';

let stack: WebStack;
let sim: WorkdaySimulator;

beforeAll(async () => {
  // 60 workers: every 10th contingent, every 25th terminated.
  sim = await startWorkdaySimulator({ workers: 60 });
  stack = await startWebStack({ accountName: 'Acme Learning' });
  await createActiveField(stack.ctx.db, stack.admin.account.id, { name: 'Department', kind: 'csv', groupable: true });
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describe('Workday in the browser', () => {
  it('connects, excludes contingent workers, maps Workday attributes, dry-runs, imports, and exports skills', async () => {
    const { ctx, admin, page, jsErrors } = stack;
    const employees = sim.store.list.filter((w) => !w.terminated && !w.contingent);
    const tile = await signInToTile(stack, 'Workday');
    await screenshot(page, 'workday-tile');
    await tile.getByRole('link', { name: 'Connect Workday' }).click();
    await page.getByRole('heading', { name: 'Connect Workday' }).waitFor();

    // The spec's fields: connection name, host URL, tenant, user name and password (masked).
    await page.getByLabel('Connection name').fill('Workday EMEA');
    await page.getByLabel('Host URL').fill(sim.url);
    await page.getByLabel('Tenant').fill(sim.tenant);
    const isu = page.getByRole('group', { name: 'Integration system user' });
    await isu.getByLabel('Username').fill(`${DEFAULT_WORKDAY_ISU.username}@${sim.tenant}`);
    const password = isu.getByLabel('Password');
    expect(await password.getAttribute('type')).toBe('password');
    await password.fill(DEFAULT_WORKDAY_ISU.password);
    await page.getByLabel('Exclude contingent workers').check();
    await screenshot(page, 'workday-connect');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Connection works' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByText(/workers visible/).count()).toBeGreaterThan(0);
    await screenshot(page, 'workday-overview');

    // Map Attributes: Workday's attribute paths on the right.
    await page.getByRole('link', { name: 'Mapping' }).click();
    await page.getByLabel('Action').selectOption({ label: 'Import Internal Users' });
    await page.getByRole('heading', { name: /Map Attributes/ }).waitFor();
    await page.getByTestId('source-fields').waitFor();
    await saveSourceMapping(page, {
      Email: 'Primary Work Email',
      Name: 'wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name',
      Manager: 'manager',
      'Profile: title': 'wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Title',
      'Active field: Department': 'wd:Organization_Subtype_Reference_Department',
    });
    await screenshot(page, 'workday-mapping');

    // Dry run: what would change, nothing applied.
    await startDryRun(page);
    const dry = await waitForRun(page, 1);
    expect(dry.status).toBe('completed');
    await dry.row.getByRole('button', { name: 'Download change-set.csv' }).waitFor();
    expect(await dry.row.locator('[data-count=created]').textContent()).toBe(`would create ${employees.length}`);
    await screenshot(page, 'workday-dry-run');
    const users = () => ctx.db.selectFrom('users').select(['email']).where('account_id', '=', admin.account.id).execute();
    expect(await users()).toHaveLength(1);

    // The run: the employees (no contingent worker), with their managers.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const run = await waitForRun(page, 2);
    expect(run.status).toBe('completed');
    expect(await run.row.locator('[data-count=created]').textContent()).toBe(`created ${employees.length}`);
    await screenshot(page, 'workday-run');
    const emails = new Set((await users()).map((u) => u.email));
    expect(sim.store.list.filter((w) => w.contingent && emails.has(w.email))).toEqual([]);
    const w6 = sim.store.list[6];
    const u6 = await ctx.db.selectFrom('users as u').leftJoin('users as m', 'm.id', 'u.manager_id').select(['m.email as manager']).where('u.email', '=', w6.email).executeTakeFirstOrThrow();
    expect(u6.manager).toBe(sim.store.list[1].email);

    // Export User Skills on demand: a skill achieved since the start date goes to the worker in Workday.
    const skill = await createSkill(ctx.db, admin.account.id, { name: 'Negotiation', levels: [{ name: 'Beginner' }, { name: 'Expert' }] });
    await recordAchievement(ctx.db, admin.account.id, { user: w6.email, skillLevelId: skill.levels[1].id, credits: 0 });
    await page.getByLabel('Action').selectOption({ label: 'Export User Skills' });
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('heading', { name: /On Demand Execution — Export User Skills/ }).waitFor();
    const yesterday = new Date(Date.now() - 86400_000);
    const day = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`;
    await page.getByLabel(/Start date/).fill(day);
    await screenshot(page, 'workday-export-on-demand');
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const exp = await waitForRun(page, 3);
    expect(exp.status).toBe('completed');
    expect(await exp.row.locator('[data-count=written]').textContent()).toBe('1 row written');
    await screenshot(page, 'workday-export-status');
    expect([...(sim.store.workerSkills.get(w6.workerId) ?? [])]).toEqual([skillItemId(skillItemName('Negotiation', '2', 'Expert'))]);
    expect(jsErrors).toEqual([]);
  }, 300_000);
});
