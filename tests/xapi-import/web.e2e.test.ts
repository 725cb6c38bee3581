import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import type { TestContext } from '../helpers/test-context.ts';
import { screenshot, signIn, startWebStackWithDrop, waitForRun, type WebStackWithDrop } from '../web/web-harness.ts';
import { csvText } from './fixtures.ts';

// In a real browser against the real API and worker: add an Import xAPI configuration on a local-directory
// connection (name + source file), a filter, the mapping (the three required paths and one more), preview it,
// run it on demand and see the statements stored. Screenshots for docs/xapi-import.md.
let stack: WebStackWithDrop;
let ctx: TestContext;
let server: { app: Api; url: string };
let dropDir: string;
let admin: WebStackWithDrop['admin'];
let connectionId: number;
let page: Page;
let jsErrors: string[];

beforeAll(async () => {
  stack = await startWebStackWithDrop({ dropPrefix: 'lmc-xapi-import-web-', connectionName: 'LMS activity drop' });
  ({ ctx, server, admin, dropDir, connectionId, page, jsErrors } = stack);
  await fs.mkdir(path.join(dropDir, 'import', 'xapi'), { recursive: true });
  // rows 110..129 of the generated file: 111 (bad mbox), 112 (bad verb), 113 (bad score) are rejected; 120 has status "test"
  await fs.writeFile(path.join(dropDir, 'import', 'xapi', 'activity_2026-03.csv'), csvText(110, 130));
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('xAPI import in the browser', () => {
  it('configures an import (configuration, filter, mapping), previews it and runs it on demand', async () => {
    await signIn(page, server.url, admin.email, admin.password);
    // signed in once the connectors home shows; then straight to the connection's Import xAPI mapping
    await page.getByRole('link', { name: 'Connectors' }).first().waitFor();
    await page.goto(`${server.url}/connections/${connectionId}/mapping?action=import-xapi`);
    await page.getByRole('heading', { name: 'Mapping — Import xAPI' }).waitFor();

    // Configuration: name and source file name
    await page.getByRole('button', { name: 'Add a new Configuration' }).click();
    const form = page.getByRole('form', { name: 'Configure Import-Sources' });
    await form.getByLabel('Name', { exact: true }).fill('LMS activity');
    await form.getByLabel('Source File Name').fill('activity_*.csv');
    await screenshot(page, 'xapi-import-configuration');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Mapping — LMS activity' }).waitFor();

    // Mapping: the three required paths, then one more with its type
    await page.getByLabel('Column for actor.mbox').fill('email');
    await page.getByLabel('Column for verb.id').fill('verb');
    await page.getByLabel('Column for object.id').fill('activity');
    await page.getByRole('button', { name: 'Add a new Mapping' }).click();
    await page.getByLabel('Mapping 4 path').fill('result.score.scaled');
    await page.getByLabel('Column for result.score.scaled').fill('score');
    await page.getByLabel('Type of result.score.scaled').selectOption('number');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Mapping saved.' }).waitFor();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByLabel('Preview').getByRole('cell', { name: /mailto:user110@example.com/ }).waitFor();
    await screenshot(page, 'xapi-import-mapping');

    // Filter: skip rows whose status is "test"
    await page.getByRole('link', { name: 'Filters' }).click();
    await page.getByRole('heading', { name: 'Filter — LMS activity' }).waitFor();
    await page.getByRole('button', { name: 'Add new Filter' }).click();
    await page.getByLabel('Filter 1 name').fill('Live rows only');
    await page.getByLabel('Filter 1 condition 1 column').fill('status');
    await page.getByLabel('Filter 1 condition 1 operator').selectOption('not_equals');
    await page.getByLabel('Filter 1 condition 1 value').fill('test');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Filter “Live rows only” saved.' }).waitFor();
    await screenshot(page, 'xapi-import-filter');

    // On demand
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('heading', { name: /On Demand Execution — Import xAPI/ }).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status — Import xAPI/ }).waitFor();
    const run = await ctx.db.selectFrom('runs').select(['id']).where('action_id', '=', 'import-xapi').executeTakeFirstOrThrow();
    expect((await waitForRun(page, run.id)).status).toBe('completed_with_errors');
    await screenshot(page, 'xapi-import-status');

    const done = await ctx.db.selectFrom('runs').select(['counts']).where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(done.counts).toMatchObject({ read: 20, skipped: 1, rejected: 3, created: 16 });
    const stored = await ctx.pool.query('select count(*)::int as n from lrs_statements where account_id = $1', [admin.account.id]);
    expect(stored.rows[0].n).toBe(16);
    expect(await fs.readdir(path.join(dropDir, 'import', 'xapi'))).toEqual([]);
    expect(jsErrors).toEqual([]);
  }, 120_000);
});
