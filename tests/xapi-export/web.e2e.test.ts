import fs from 'node:fs/promises';
import path from 'node:path';
import XAPIModule from '@xapi/xapi';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { createLrsCredential } from '../../src/lrs/credentials.ts';
import type { TestContext } from '../helpers/test-context.ts';
import { screenshot, signIn, startWebStackWithDrop, waitForRun, type WebStackWithDrop } from '../web/web-harness.ts';
import { statement } from '../lrs/lrs-server.ts';

const XAPI = XAPIModule.default;

// In a real browser against the real API, worker and LRS: create an export configuration (Add, Edit, Save,
// Preview), choose it for a local-directory connection's Export xAPI action, run it on demand from a start
// date, and read the file. Screenshots for docs/xapi-export.md.
let stack: WebStackWithDrop;
let ctx: TestContext;
let server: { app: Api; url: string };
let dropDir: string;
let admin: WebStackWithDrop['admin'];
let connectionId: number;
let page: Page;
let jsErrors: string[];

beforeAll(async () => {
  stack = await startWebStackWithDrop({ dropPrefix: 'lmc-xapi-web-', connectionName: 'Analytics drop' });
  ({ ctx, server, admin, dropDir, connectionId, page, jsErrors } = stack);
  const key = await createLrsCredential(ctx.db, admin.account.id, { name: 'course player', scopes: ['read', 'write'] });
  const xapi = new XAPI({ endpoint: `${server.url}/xapi`, auth: XAPI.toBasicAuth(key.key, key.secret), version: '2.0.0' as never });
  await xapi.sendStatements({
    statements: [
      statement({ result: { score: { scaled: 0.92 }, success: true } }),
      statement({ actor: { mbox: 'mailto:bo@example.com' }, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-US': 'attempted' } } }),
      statement({ actor: { mbox: 'mailto:cy@example.com' }, result: { score: { scaled: 0.4 }, success: false } }),
    ] as never,
  });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('xAPI export in the browser', () => {
  it('creates a configuration, uses it for a connection and exports on demand', async () => {
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('link', { name: 'xAPI Export' }).click();
    await page.getByRole('heading', { name: 'Settings › xAPI export' }).waitFor();
    // A new configuration starts with learner, verb, activity and timestamp columns.
    await page.getByLabel('Configuration name').fill('Scores for BI');
    await page.getByRole('textbox', { name: 'JSON path' }).fill('result.score.scaled');
    await page.getByLabel('Column', { exact: true }).fill('Score');
    await page.getByLabel('Type').selectOption('number');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('textbox', { name: 'JSON path' }).fill('result.success');
    await page.getByLabel('Column', { exact: true }).fill('Passed');
    await page.getByLabel('Type').selectOption('boolean');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    // Edit: the verb column shows the English display name instead of the IRI.
    await page.getByRole('button', { name: 'Edit Verb' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'JSON path' }).inputValue()).toBe('verb.id');
    await page.getByRole('textbox', { name: 'JSON path' }).fill('verb.display.en-US');
    await page.getByRole('button', { name: 'Update' }).click();
    await page.getByRole('button', { name: 'Remove Timestamp' }).click();
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByLabel('Preview');
    await preview.getByRole('cell', { name: 'mailto:bo@example.com' }).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await screenshot(page, 'xapi-export-configuration');
    const saved = await ctx.db.selectFrom('xapi_export_configs').selectAll().executeTakeFirstOrThrow();
    expect([saved.name, saved.columns]).toEqual(['Scores for BI', [
      { path: 'actor.mbox', column: 'Learner', type: 'string' },
      { path: 'verb.display.en-US', column: 'Verb', type: 'string' },
      { path: 'object.id', column: 'Activity', type: 'string' },
      { path: 'result.score.scaled', column: 'Score', type: 'number' },
      { path: 'result.success', column: 'Passed', type: 'boolean' },
    ]]);

    // The connection's Export xAPI action uses it.
    await page.goto(`${server.url}/connections/${connectionId}/mapping?action=export-xapi`);
    await page.getByRole('heading', { name: 'Configuration — Export xAPI' }).waitFor();
    await expect.poll(() => page.getByLabel('Export configuration').inputValue()).toBe(String(saved.id));
    await page.getByLabel('Folder under export/').fill('bi');
    // One form, one Save: the configuration and this connection's use of it.
    expect(await page.locator('main form').count()).toBe(1);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'uses “Scores for BI”' }).waitFor();
    await screenshot(page, 'xapi-export-connection');

    // On demand from a start date until now.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('heading', { name: /On Demand Execution — Export xAPI/ }).waitFor();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel(/^Start date/).fill(yesterday);
    await page.screenshot({ path: path.resolve('docs/screenshots/xapi-export-on-demand.png'), fullPage: true });
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status — Export xAPI/ }).waitFor();
    const run = await ctx.db.selectFrom('runs').select('id').where('action_id', '=', 'export-xapi').executeTakeFirstOrThrow();
    expect((await waitForRun(page, run.id)).status).toBe('completed');
    await page.getByRole('cell', { name: /export\/bi\/xapi_statements_.*\.csv/ }).first().waitFor();
    await screenshot(page, 'xapi-export-status');

    const [file] = await fs.readdir(path.join(dropDir, 'export', 'bi'));
    expect(file).toMatch(/^xapi_statements_\d{8}T\d{6}Z_to_\d{8}T\d{6}Z\.csv$/);
    expect(await fs.readFile(path.join(dropDir, 'export', 'bi', file), 'utf8')).toBe([
      'Learner,Verb,Activity,Score,Passed',
      'mailto:ada@example.com,completed,http://example.com/activities/intro,0.92,true',
      'mailto:bo@example.com,attempted,http://example.com/activities/intro,N/A,N/A',
      'mailto:cy@example.com,completed,http://example.com/activities/intro,0.4,false',
      '',
    ].join('\n'));
    expect(jsErrors).toEqual([]);
  }, 120_000);
});
