import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { axeViolations, screenshot, signIn, startWebStackWithDrop, type WebStackWithDrop } from './web-harness.ts';

// Every screen of the admin app in Chromium, checked by axe-core (injected) for serious and critical
// accessibility violations; each screen has its own page title, and navigating moves focus to its heading.
let stack: WebStackWithDrop;

beforeAll(async () => {
  stack = await startWebStackWithDrop({ dropPrefix: 'lmc-a11y-', connectionName: 'HR drop' });
  await createActiveField(stack.ctx.db, stack.admin.account.id, { name: 'Department', kind: 'csv', groupable: true });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('accessibility of every screen', () => {
  it('has no serious or critical axe violations, a title per screen and focus on the new heading', async () => {
    const { page, server, admin, connectionId } = stack;
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('heading', { name: 'Sign in to lmc' }).waitFor();
    const problems: Record<string, string[]> = {};
    const check = async (name: string) => {
      const v = await axeViolations(page);
      if (v.length) problems[name] = v;
    };
    await check('sign-in');
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();

    const c = `/connections/${connectionId}`;
    const screens: Array<[string, string, RegExp]> = [
      ['connectors', '/', /^Connectors/],
      ['getting-started', '/connectors/local-directory/getting-started', /^Getting Started/],
      ['connect', '/connectors/box/connect', /^Connect Box/],
      ['manage-connections', '/connectors/local-directory/connections', /Local directory|Manage/],
      ['configure', `${c}/configure`, /^HR drop/],
      ['mapping', `${c}/mapping?action=import-users`, /^HR drop/],
      ['filters', `${c}/filters?action=import-users`, /^HR drop/],
      ['schedule', `${c}/schedule?action=import-users`, /^HR drop/],
      ['on-demand', `${c}/on-demand?action=import-users`, /^HR drop/],
      ['status', `${c}/status?action=import-users`, /^HR drop/],
      ['xapi-import', `${c}/mapping?action=import-xapi`, /^HR drop/],
      ['xapi-export-mapping', `${c}/mapping?action=export-xapi`, /^HR drop/],
      ['data-sources', '/settings/data-sources', /Data Sources/],
      ['lrs-keys', '/settings/lrs-keys', /LRS/],
      ['xapi-export', '/settings/xapi-export', /xAPI export/],
      ['users', '/users', /^Users/],
      ['active-fields', '/users/active-fields', /Active fields/],
      ['import-log', '/users/import-log', /Import Log/],
      ['reports', '/reports', /^Reports/],
      ['trainings', '/trainings', /Trainings/],
      ['notifications', '/notifications', /Notifications/],
      ['change-password', '/account/password', /Change password/],
    ];
    const titles = new Set<string>();
    for (const [name, path, heading] of screens) {
      await page.goto(`${server.url}${path}`);
      const h1 = page.locator('main h1');
      await expect.poll(() => h1.textContent(), { timeout: 20_000 }).toMatch(heading);
      await page.waitForLoadState('networkidle');
      await check(name);
      // The page title names the screen.
      await expect.poll(() => page.title(), { timeout: 10_000 }).toMatch(/ · lmc$/);
      if (!path.startsWith('/connections/')) expect(await page.title()).toContain((await h1.textContent())!.trim());
      titles.add(await page.title());
    }
    expect(problems).toEqual({});
    expect(titles.size, [...titles].join('\n')).toBe(screens.length);
    expect(titles).toContain('Mapping — Import Internal Users · HR drop · lmc');

    // Navigating inside the app moves focus to the new screen's heading.
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users', exact: true }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent), { timeout: 10_000 }).toMatch(/^H1 Users/);

    // A confirmation dialog too.
    await page.goto(`${server.url}/users/active-fields`);
    await page.getByRole('checkbox', { name: 'Department is group-able' }).click();
    await page.getByRole('dialog').waitFor();
    await check('confirm-dialog');
    await screenshot(page, 'confirm-group-able');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    // Phone width.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}${c}/status?action=import-users`);
    await page.locator('main h1').waitFor();
    await check('status-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    expect(problems).toEqual({});
    expect(stack.jsErrors).toEqual([]);
  }, 240_000);
});
