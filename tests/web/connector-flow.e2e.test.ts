import os from 'node:os';
import fs from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import SftpClient from 'ssh2-sftp-client';
import { startSftpServer, type RunningSftpServer } from '../../src/sftp-server/server.ts';
import type { Api } from '../../src/api/types.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker } from '../../src/engine/worker.ts';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { clockStartingAt } from '../../src/shared/clock.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildWebApp, createAdmin, launchBrowser, screenshot, signIn, startServer, waitForRun } from './web-harness.ts';

// The scenario in a real browser against the real API, engine worker, hosted SFTP service and
// database: connect the Learning Manager FTP connector, set the SFTP password through the reset link, upload
// CSVs over SFTP, upload a template, map, dry-run, run, watch the progress bar, read the counts, download the
// error report; reject / re-run / approve a run waiting for approval; then schedule an export.
let ctx: TestContext;
let server: { app: Api; url: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let worker: { stop(): Promise<void> };
let webDir: string;
let sftp: RunningSftpServer;
let admin: Awaited<ReturnType<typeof createAdmin>>;
let page: Page;
/** The hosted SFTP login made in the first test (later tests upload with it). */
let dropLogin: { username: string; password: string };
/**
 * The app's clock (server, scheduler, worker) starts at this instant, whatever day the suite runs: the schedule
 * test below asserts absolute instants. The browser keeps the machine's clock; it only shows what the API says.
 */
const APP_NOW = new Date('2026-11-30T12:00:00Z');

beforeAll(async () => {
  const sftpPort = await freePort();
  [ctx, webDir] = await Promise.all([createTestContext({ LMC_SFTP_PORT: String(sftpPort) }, { clock: clockStartingAt(APP_NOW) }), buildWebApp()]);
  server = await startServer(ctx);
  sftp = await startSftpServer({ db: ctx.db, dataDir: ctx.config.dataDir, log: ctx.log, host: '127.0.0.1', port: sftpPort });
  worker = await startWorker(ctx, { timings: engineTimings() });
  browser = await launchBrowser();
  admin = await createAdmin(ctx, { accountName: 'Acme Learning' });
  await createActiveField(ctx.db, admin.account.id, { name: 'Department', kind: 'csv', groupable: true });
  await createActiveField(ctx.db, admin.account.id, { name: 'Nickname', kind: 'manual' });
  page = await browser.context.newPage();
  page.on('pageerror', (e) => jsErrors.push(e.message));
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await sftp?.stop();
  await server?.app.close();
  await ctx?.destroy();
  if (webDir) await fs.rm(webDir, { recursive: true, force: true });
  if (ctx) await fs.rm(ctx.config.dataDir, { recursive: true, force: true });
});
const jsErrors: string[] = [];

const BULK = 5000;
const HEADER = 'Email,Full Name,Manager Email,Department,Title';
function usersCsv(): string {
  return [
    HEADER,
    'boss@acme.test,Bea Boss,,Board,CEO',
    'ann@acme.test,Ann Able,boss@acme.test,Sales,Rep',
    'bob@acme.test,"Bob, Jr.",boss@acme.test,Sales,Rep',
    'not-an-email,Nobody,boss@acme.test,Sales,Rep',
    'cat@acme.test,Cat Cole,ghost@acme.test,Support,Agent',
    '',
  ].join('\r\n');
}
function bulkCsv(n: number): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`bulk${i}@acme.test,Bulk User ${i},boss@acme.test,Dept ${i % 7},Engineer`);
  return lines.join('\n') + '\n';
}

/** Puts files into the hosted drop over SFTP, as an HR system would. */
async function sftpPut(username: string, password: string, files: Record<string, string>): Promise<void> {
  const c = new SftpClient();
  await c.connect({ host: '127.0.0.1', port: sftp.port, username, password });
  try {
    for (const [name, text] of Object.entries(files)) await c.put(Buffer.from(text), `import/user/internal/${name}`);
  } finally {
    await c.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function readDownload(d: Download): Promise<string> {
  return fs.readFile((await d.path())!, 'utf8');
}

describe('connector flow in the browser', () => {
  it('connects a file drop, maps from a template, dry-runs, runs, reads counts and the error report', async () => {
    await signIn(page, server.url, admin.email, admin.password);
    const tile = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Learning Manager FTP' }) });
    await tile.waitFor();
    await screenshot(page, 'connectors-home');

    await tile.getByRole('link', { name: /Getting Started/ }).click();
    await page.getByRole('heading', { name: /Getting Started: Learning Manager FTP/ }).waitFor();
    // A page for an admin: what to prepare and the steps, with a picture that loads; no developer material.
    await page.getByRole('heading', { name: 'What to prepare' }).waitFor();
    const guide = (await page.locator('article').textContent()) ?? '';
    expect(guide).not.toMatch(/curl|LMC_|src\/|npm |\|---/);
    const picture = page.locator('article img').first();
    await expect.poll(() => picture.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth), { timeout: 20_000 }).toBeGreaterThan(0);
    await screenshot(page, 'getting-started');
    await page.getByRole('link', { name: 'Connect', exact: true }).click();

    // Connect: the form comes from the connector's settings schema.
    await page.getByLabel('Connection name').fill('HR drop');
    await page.getByLabel('Responsible person’s email').fill('hr-ops@acme.test');
    await screenshot(page, 'connect-form');
    await page.getByRole('button', { name: 'Connect' }).click();
    // The login has no password or key yet: the test never says it works.
    await page.getByRole('status').filter({ hasText: 'Reached, but not ready yet' }).waitFor({ timeout: 20_000 });
    expect(await page.getByText('Connection works').count()).toBe(0);
    // The server's host key fingerprint, to check on the first login.
    expect(await page.getByTestId('ftp-host-key').textContent()).toMatch(/^SHA256:/);

    // The SFTP login: a one-time reset link for the responsible person, who sets the password on the
    // server's reset page (src/api/routes/file-drops/get-ftp-reset-page.ts).
    const username = (await page.getByTestId('ftp-username').textContent())!;
    await page.getByRole('button', { name: 'Create a password reset link' }).click();
    const link = await page.getByRole('link', { name: /\/ftp\/reset-password\?token=/ }).getAttribute('href');
    await screenshot(page, 'connection-configure');
    const sftpPassword = 'a long sftp password';
    const resetPage = await browser.context.newPage();
    await resetPage.goto(link!);
    await resetPage.getByLabel('New password').fill(sftpPassword);
    await resetPage.getByLabel('Repeat it').fill(sftpPassword);
    await resetPage.getByRole('button', { name: 'Set password' }).click();
    await resetPage.getByRole('status').filter({ hasText: `Password set. Log in with SFTP as "${username}"` }).waitFor();
    await screenshot(resetPage, 'ftp-reset-password');
    await resetPage.close();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status').filter({ hasText: 'Connection works' }).waitFor({ timeout: 20_000 });

    // The HR system uploads its CSVs over SFTP.
    await sftpPut(username, sftpPassword, { 'hr.csv': usersCsv(), 'bulk.csv': bulkCsv(BULK) });
    dropLogin = { username, password: sftpPassword };

    // Mapping: pick the action, upload the template, map.
    await page.getByRole('link', { name: 'Mapping' }).click();
    await page.getByLabel('Action').selectOption({ label: 'Import Internal Users' });
    await page.getByRole('heading', { name: /Map Attributes/ }).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 }).toContain('need a mapping');
    // The columns can come from the files already in the drop.
    await page.getByRole('button', { name: 'Discover columns from the files in the drop' }).click();
    await page.getByTestId('discover-files').filter({ hasText: 'Read 2 files from import/user/internal/' }).waitFor();
    expect(await page.getByTestId('discover-files').textContent()).toMatch(/bulk\.csv \(5 columns\).*hr\.csv \(5 columns\)|hr\.csv \(5 columns\).*bulk\.csv \(5 columns\)/);
    expect(await page.getByTestId('discover-disagree').count()).toBe(0);
    expect(await page.getByLabel('CSV column for Email').inputValue()).toBe('Email');
    expect(await page.getByLabel('CSV column for Profile: title').inputValue()).toBe('Title');
    await screenshot(page, 'mapping-discover');
    await page.getByLabel('Template CSV').setInputFiles({ name: 'template.csv', mimeType: 'text/csv', buffer: Buffer.from(`${HEADER}\n`) });
    await page.getByText('template.csv: 5 columns').waitFor();
    expect(await page.getByLabel('CSV column for Email').inputValue()).toBe('Email');
    expect(await page.getByLabel('CSV column for Active field: Department').inputValue()).toBe('Department');
    await page.getByLabel('CSV column for Name').fill('Full Name');
    await page.getByLabel('CSV column for Manager').fill('Manager Email');
    // A csv active field set to DontImportFromSource would be deleted: the app asks first.
    await page.getByLabel('CSV column for Active field: Department').fill('DontImportFromSource');
    const dialog = page.getByRole('dialog', { name: /Delete the active field "Department"/ });
    await dialog.waitFor();
    await screenshot(page, 'mapping-confirm-delete-field');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByLabel('CSV column for Active field: Department').inputValue()).toBe('Department');
    await page.getByLabel('CSV column for Active field: Nickname').fill('DontImportFromSource');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Mapping saved.' }).waitFor();
    await screenshot(page, 'mapping');

    // Dry run: a change set, nothing applied.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByLabel(/Dry run/).check();
    await screenshot(page, 'on-demand');
    await page.getByRole('button', { name: 'Start dry run' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const dry = await waitForRun(page, 1);
    expect(dry.status).toBe('completed_with_errors');
    // A dry run reads as a preview.
    expect(await dry.row.textContent()).toContain('Preview (dry run)');
    expect(await dry.row.locator('[data-count=created]').textContent()).toBe(`would create ${BULK + 3}`);
    const changeSetButton = dry.row.getByRole('button', { name: 'Download change-set.csv' });
    await changeSetButton.waitFor();
    const [changeSet] = await Promise.all([page.waitForEvent('download'), changeSetButton.click()]);
    const changeSetText = await readDownload(changeSet);
    expect(changeSetText).toContain('ann@acme.test');
    expect(await ctx.db.selectFrom('users').select('email').where('email', '=', 'ann@acme.test').executeTakeFirst()).toBeUndefined();

    // The real run: watch the progress bar, then read the counts.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    let sawProgress = false;
    let shot = '';
    const run = await waitForRun(page, 2, async () => {
      sawProgress = true;
      // One screenshot, preferably once the bar has moved.
      const text = (await page.locator('.progress-text').last().textContent().catch(() => '')) ?? '';
      if (!shot || (shot === '0' && text !== '0')) {
        shot = text || '0';
        await screenshot(page, 'execution-status-running');
      }
    });
    console.log(`progress bar observed while running: ${sawProgress}`);
    expect(run.status).toBe('completed_with_errors');
    expect(await run.row.locator('[data-count=created]').textContent()).toBe(`created ${BULK + 3}`);
    expect(await run.row.locator('[data-count=rejected]').textContent()).toBe('rejected 2');
    // Issue 18.8: the machine and process that ran it (the worker runs in this test's process).
    expect(await run.row.locator('[data-col=ran-on]').textContent()).toBe(`${os.hostname()}process ${process.pid}`);
    // Newest first; the processed files it deleted are named; its log is one click away.
    expect(await page.locator('table[aria-label="Runs"] tbody tr').first().getAttribute('data-run-id')).toBe('2');
    await expect.poll(() => run.row.getByTestId('deleted-files').textContent(), { timeout: 20_000 }).toMatch(/Processed files deleted from the drop: (bulk\.csv, hr\.csv|hr\.csv, bulk\.csv)/);
    await run.row.getByText(/^Log \(\d+ entries\)/).click();
    expect(await run.row.getByRole('list', { name: 'Run log' }).textContent()).toContain('deleted the 2 processed file(s)');
    expect(await page.locator('table[aria-label="Runs"]').textContent()).not.toMatch(/#\d|completed_with_errors|on_demand/);
    await screenshot(page, 'execution-status');

    const [report] = await Promise.all([page.waitForEvent('download'), run.row.getByRole('button', { name: 'Error report' }).click()]);
    const reportText = await readDownload(report);
    expect(reportText).toContain('hr.csv');
    expect(reportText).toContain('not-an-email');
    expect(reportText).toMatch(/ghost@acme\.test/);

    // Re-run is offered on the latest run only.
    expect(await page.getByRole('button', { name: 'Re-run' }).count()).toBe(1);
    expect(await run.row.getByRole('button', { name: 'Re-run' }).count()).toBe(1);

    // A run that would suspend most of this source's users waits for approval: reject it, re-run, approve.
    await page.getByRole('link', { name: 'Filters' }).click();
    await page.getByLabel("Users of this source missing from the files").selectOption('suspend');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Filters saved.' }).waitFor();
    await screenshot(page, 'filters');
    await sftpPut(username, sftpPassword, { 'hr.csv': usersCsv() });
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    // Suspending users missing from the files: Run now asks first.
    const runConfirm = page.getByRole('dialog', { name: 'Run now and suspend missing users?' });
    await runConfirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await ctx.db.selectFrom('runs').select('id').where('id', '=', 3).executeTakeFirst()).toBeUndefined();
    await page.getByRole('button', { name: 'Run now' }).click();
    await runConfirm.getByRole('button', { name: 'Run and suspend' }).click();
    await page.getByRole('heading', { name: /Execution Status/ }).waitFor();
    const waiting = await waitForRun(page, 3);
    expect(waiting.status).toBe('needs_approval');
    await screenshot(page, 'execution-status-needs-approval');
    await waiting.row.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('dialog', { name: 'Reject this run?' }).getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => waiting.row.getAttribute('data-status'), { timeout: 20_000 }).toBe('cancelled');
    await waiting.row.getByRole('button', { name: 'Re-run' }).click();
    await page.getByRole('dialog', { name: 'Run this again?' }).getByRole('button', { name: 'Re-run' }).click();
    const again = await waitForRun(page, 4);
    expect(again.status).toBe('needs_approval');
    // The imported users, the import log, the data sources and the notifications.
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByLabel('Search users').fill('ann@');
    await page.getByRole('cell', { name: 'Ann Able' }).waitFor();
    await page.getByRole('link', { name: 'Import Log', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Users › Import Log' }).waitFor();
    await expect.poll(() => page.locator('table[aria-label="Runs"] tbody tr').count(), { timeout: 20_000 }).toBe(4);
    await screenshot(page, 'import-log');
    await page.getByRole('link', { name: 'Data Sources' }).click();
    await page.getByRole('cell', { name: 'HR drop' }).waitFor();
    await screenshot(page, 'data-sources');
    await page.getByRole('link', { name: 'Notifications' }).click();
    await expect.poll(() => page.locator('li.card').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'notifications');
    // Words, not ids, and each notification links to its run.
    const note = page.locator('li.card').filter({ hasText: 'HR drop: Import Internal Users' }).first();
    expect(await page.locator('main').textContent()).not.toMatch(/#\d|import-users|by user \d/);
    await note.getByRole('link', { name: 'Open the run in Execution Status' }).click();
    await page.getByRole('heading', { name: 'Execution Status — Import Internal Users' }).waitFor();
    expect(jsErrors).toEqual([]);
  }, 180_000);

  it('approves the run that waits for approval', async () => {
    await page.goto(`${server.url}/settings/data-sources`);
    await page.getByRole('link', { name: 'HR drop' }).click();
    await page.getByRole('link', { name: 'Execution Status' }).first().click();
    await page.getByLabel('Action').selectOption({ label: 'Import Internal Users' });
    const again = await waitForRun(page, 4);
    expect(again.status).toBe('needs_approval');
    const startedAt = (await ctx.db.selectFrom('runs').select('started_at').where('id', '=', 4).executeTakeFirstOrThrow()).started_at;
    // Approve asks first, naming the users it would suspend and offering the full change set.
    await again.row.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve this import?' });
    await dialog.waitFor();
    const listed = dialog.getByRole('list', { name: 'Users who would be suspended' }).getByRole('listitem');
    expect(await listed.count()).toBe(Math.min(BULK, 20));
    if (BULK > 20) await dialog.getByText(`and ${BULK - 20} more.`).waitFor();
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download the full list of changes (CSV)' }).click();
    expect((await download).suggestedFilename()).toContain('change-set.csv');
    await screenshot(page, 'execution-status-approve-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await again.row.getAttribute('data-status')).toBe('needs_approval');
    await again.row.getByRole('button', { name: 'Approve' }).click();
    await dialog.getByRole('button', { name: 'Approve and apply' }).click();
    await expect.poll(() => again.row.getAttribute('data-status'), { timeout: 20_000 }).not.toBe('needs_approval');
    const approved = await waitForRun(page, 4, undefined, 20_000);
    expect(approved.status).toBe('completed_with_errors');
    const suspended = await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', admin.account.id).where('state', '=', 'suspended').executeTakeFirstOrThrow();
    expect(Number(suspended.n)).toBe(BULK);
    // The suspensions are counted, and the run keeps the time it started.
    expect(await approved.row.locator('[data-count="suspended"]').textContent()).toBe(`suspended ${BULK}`);
    const after = (await ctx.db.selectFrom('runs').select('started_at').where('id', '=', 4).executeTakeFirstOrThrow()).started_at;
    expect(after?.toISOString()).toBe(startedAt?.toISOString());
  }, 60_000);

  it('discovers columns: says so when the drop holds no CSV, and names the columns a file lacks', async () => {
    await page.goto(`${server.url}/settings/data-sources`);
    await page.getByRole('link', { name: 'HR drop' }).click();
    await page.getByRole('link', { name: 'Mapping' }).click();
    await page.getByLabel('Action').selectOption({ label: 'Import Internal Users' });
    await page.getByRole('heading', { name: /Map Attributes/ }).waitFor();
    // The approved run deleted the files it imported: the drop is empty.
    await page.getByRole('button', { name: 'Discover columns from the files in the drop' }).click();
    await page.getByTestId('discover-empty').filter({ hasText: 'The drop holds no CSV file in import/user/internal/' }).waitFor();
    await sftpPut(dropLogin.username, dropLogin.password, { 'a.csv': `${HEADER}\n`, 'b.csv': 'Email,Full Name,Manager Email\n' });
    await page.getByRole('button', { name: 'Discover columns from the files in the drop' }).click();
    await page.getByTestId('discover-files').filter({ hasText: 'Read 2 files' }).waitFor();
    expect(await page.getByTestId('discover-empty').count()).toBe(0);
    expect(await page.getByTestId('discover-disagree').textContent()).toContain('b.csv lacks "Department", "Title"');
    await screenshot(page, 'mapping-discover-disagree');
    expect(jsErrors).toEqual([]);
  }, 30_000);

  it('schedules an export', async () => {
    await page.goto(`${server.url}/settings/data-sources`);
    await page.getByRole('link', { name: 'HR drop' }).click();
    await page.getByRole('link', { name: 'Configure Schedule' }).click();
    await page.getByLabel('Action').selectOption({ label: 'Export User Skills' });
    await page.getByRole('heading', { name: /Configure Schedule — Export User Skills/ }).waitFor();
    await page.getByLabel('Enable Schedule').check();
    // The next day in Paris after the app's pinned now (2026-11-30 13:00 there): 02:30 local is 01:30 UTC (CET).
    await page.getByLabel('Start date').fill('2026-12-01');
    await page.getByLabel('Start time').fill('02:30');
    // The time-zone picker is searchable: typing part of a city offers the zone.
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await page.getByLabel('Every').fill('1');
    await page.getByLabel('Unit').selectOption('days');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('status').filter({ hasText: 'Schedule saved.' }).waitFor();
    // The next run in the schedule's own time zone, named.
    await expect.poll(() => page.getByTestId('next-run').textContent(), { timeout: 20_000 }).toMatch(/^Next run: .*(02:30|2:30).*\(Europe\/Paris\)$/);
    await screenshot(page, 'schedule');
    const conn = await ctx.db.selectFrom('connections').select('id').where('name', '=', 'HR drop').executeTakeFirstOrThrow();
    const s = await ctx.db.selectFrom('schedules').selectAll().where('connection_id', '=', conn.id).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ action_id: 'export-user-skills', enabled: true, start_local: '2026-12-01T02:30', time_zone: 'Europe/Paris', every_n: 1, unit: 'days' });
    expect(s.next_due_at?.toISOString()).toBe('2026-12-01T01:30:00.000Z');
    // And once on demand: the file appears in the drop's export folder.
    await page.getByRole('link', { name: 'On Demand Execution' }).click();
    await page.getByLabel(/^Start date/).fill('2026-01-01');
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /Execution Status — Export User Skills/ }).waitFor();
    const exportRun = await ctx.db.selectFrom('runs').select('id').where('action_id', '=', 'export-user-skills').executeTakeFirstOrThrow();
    const exported = await waitForRun(page, exportRun.id);
    expect(exported.status).toBe('completed');
    // An export counts the rows it wrote, and its file downloads from the run and from the export folder.
    expect(await exported.row.locator('[data-count=written]').textContent()).toMatch(/^\d+ rows? written$/);
    expect(await exported.row.locator('[data-count=created]').count()).toBe(0);
    const [fromRun] = await Promise.all([page.waitForEvent('download'), exported.row.getByRole('button', { name: /^Download .*\.csv$/ }).click()]);
    expect((await readDownload(fromRun)).split('\n')[0]).toContain(',');
    await page.getByRole('cell', { name: /export\/skill_achievements_.*\.csv|export\/.*\.csv/ }).first().waitFor();
    const [fromFolder] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Download export\// }).first().click()]);
    expect(await readDownload(fromFolder)).toBe(await readDownload(fromRun));
    await screenshot(page, 'export-status');

    // At a glance: Data Sources and Manage Connections show the last run and the schedule with its next run.
    for (const path of ['/settings/data-sources', '/connectors/ftp/connections']) {
      await page.goto(`${server.url}${path}`);
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'HR drop' }) });
      await expect.poll(() => row.getByTestId('last-run').textContent(), { timeout: 20_000 }).toMatch(/^Completed.*Export User Skills/);
      expect(await row.getByTestId('schedule').textContent()).toMatch(/Export User Skills: every day.*Next run .*\(Europe\/Paris\)/);
    }
    await screenshot(page, 'manage-connections');
    await page.goto(`${server.url}/settings/data-sources`);
    await page.getByRole('link', { name: 'HR drop' }).waitFor();
    await screenshot(page, 'data-sources');
    await page.goto(`${server.url}/connections/${conn.id}/status?action=export-user-skills`);
    await page.getByRole('heading', { name: /Execution Status — Export User Skills/ }).waitFor();

    // The phone-sized layout of the connection page: each run is a card whose actions fit the screen; the
    // header's navigation sits behind Menu.
    await page.setViewportSize({ width: 390, height: 844 });
    const runButtons = page.locator('table[aria-label="Runs"] button');
    await runButtons.first().waitFor();
    for (const b of await runButtons.all()) {
      const box = (await b.boundingBox())!;
      expect(box.x + box.width, await b.textContent() ?? '').toBeLessThanOrEqual(390);
    }
    expect(await page.locator('.table-wrap').first().evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    const mainNav = page.getByRole('navigation', { name: 'Main' });
    expect(await mainNav.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await mainNav.getByRole('link', { name: 'Reports' }).waitFor();
    await screenshot(page, 'phone-menu');
    await page.getByRole('button', { name: 'Menu' }).click();
    await screenshot(page, 'schedule-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(jsErrors).toEqual([]);
  });

  it('adding an active field says how many imports do not fill it yet; a second FTP connection is refused', async () => {
    await page.goto(`${server.url}/users/active-fields`);
    await page.getByRole('heading', { name: 'Users › Active fields' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Cost centre');
    await page.getByRole('button', { name: 'Add field' }).click();
    const added = page.getByTestId('field-added');
    await added.waitFor();
    expect(await added.textContent()).toBe("“Cost centre” was added. One user import mapping does not fill it yet. Imports keep running and leave it empty until you map it on the connection's Mapping page.");
    await screenshot(page, 'active-field-added');

    // The account's Learning Manager FTP is connected ("HR drop"): Connect says so instead of offering a second.
    await page.goto(`${server.url}/connectors/ftp/connect`);
    const taken = page.getByRole('status').filter({ hasText: 'This account already has its Learning Manager FTP connection, “HR drop”' });
    await taken.waitFor();
    expect(await page.getByRole('button', { name: 'Connect' }).count()).toBe(0);
    await taken.getByRole('link', { name: 'Open “HR drop”' }).click();
    await page.getByRole('heading', { name: /HR drop/ }).first().waitFor();
    expect(jsErrors).toEqual([]);
  }, 60_000);
});
