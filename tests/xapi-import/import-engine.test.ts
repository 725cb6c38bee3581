import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { executeRun } from '../../src/engine/executor.ts';
import { createOnDemandRun, errorReportCsv, getRun } from '../../src/engine/runs.ts';
import { createXapiImportConfig, updateXapiImportConfig } from '../../src/pipelines/import-xapi/config-service.ts';
import { statementIdOf } from '../../src/pipelines/import-xapi/statement-id.ts';
import { getActionOptions } from '../../src/engine/action-settings.ts';
import { IMPORT_BATCH, importFile } from '../../src/pipelines/import-xapi/import-file.ts';
import { XapiImportOptionsSchema } from '../../src/pipelines/import-xapi/import-options.ts';
import { importPrincipal } from '../../src/pipelines/import-xapi/import-xapi-action.ts';
import { compileConfiguration } from '../../src/pipelines/import-xapi/row-to-statement.ts';
import { startLrs, type LrsHarness } from '../lrs/lrs-server.ts';
import { BAD_ROWS, COMPLETED, CONFIG, csvText, DEPT, DUE, expectedCounts, HEADER, row, skipped, valuesOf } from './fixtures.ts';

// A 10,000-row CSV is imported by the "Import xAPI" action through the engine (executeRun, the worker's entry
// point) on a local-directory connection; the statements are read back over HTTP with @xapi/xapi.

const N = 10_000;
let h: LrsHarness;
let accountId: number;
let userId: number;
let dir: string;
let connectionId: number;
let configId: string;
const timings = engineTimings({ LMC_RUN_LEASE_MS: '30000', LMC_RUN_HEARTBEAT_MS: '200' });
const xapiDir = () => path.join(dir, 'import', 'xapi');

beforeAll(async () => {
  h = await startLrs();
  accountId = (await h.ctx.db.selectFrom('lrs_credentials').select('account_id').where('key', '=', h.key).executeTakeFirstOrThrow()).account_id;
  userId = (await h.ctx.db.selectFrom('users').select('id').where('account_id', '=', accountId).executeTakeFirstOrThrow()).id;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-xapi-import-'));
  connectionId = (await createConnection(h.ctx, { accountId, userId }, { connectorId: 'local-directory', name: 'Activity drop', settings: { root: dir } })).id;
  configId = (await createXapiImportConfig(h.ctx, accountId, connectionId, CONFIG)).id;
  await fs.mkdir(xapiDir(), { recursive: true });
}, 60_000);

afterAll(async () => {
  await h?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function onDemand(dryRun = false) {
  const run = await createOnDemandRun(h.ctx, { accountId, userId }, { connectionId, actionId: 'import-xapi', dryRun });
  await executeRun(h.ctx, run.id, { workerId: 'test', timings });
  return getRun(h.ctx, accountId, run.id);
}

async function errorReport(runId: number) {
  const text = await new Response((await errorReportCsv(h.ctx, accountId, runId)) as never).text();
  return parse(text, { columns: true }) as Array<{ source: string; line: string; record_id: string; field: string; reason: string }>;
}

const statementCount = async () => Number((await h.ctx.pool.query('select count(*) from lrs_statements where account_id = $1', [accountId])).rows[0].count);

const expected = expectedCounts(0, N);

describe('Import xAPI through the engine (local directory)', () => {
  it('a dry run converts and counts every row but stores nothing and keeps the file', async () => {
    await fs.writeFile(path.join(xapiDir(), 'activity_2026-01.csv'), csvText(0, N));
    const run = await onDemand(true);
    expect(run.status).toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ read: N, created: expected.created, skipped: expected.skipped, rejected: expected.rejected });
    expect(await statementCount()).toBe(0);
    expect(await fs.readdir(xapiDir())).toEqual(['activity_2026-01.csv']);
  }, 120_000);

  it('imports 10,000 rows: filters of every operator, mappings of every type, bad rows in the error report, the file deleted', async () => {
    const run = await onDemand();
    expect(run.status).toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ read: N, created: expected.created, unchanged: 0, skipped: expected.skipped, rejected: expected.rejected });
    expect(await statementCount()).toBe(expected.created);
    expect(await fs.readdir(xapiDir())).toEqual([]);

    const report = await errorReport(run.id);
    expect(report).toHaveLength(Object.keys(BAD_ROWS).length);
    for (const [i, bad] of Object.entries(BAD_ROWS)) {
      const r = report.find((x) => x.line === String(Number(i) + 2));
      expect(r, `row ${i}`).toBeDefined();
      expect(r).toMatchObject({ source: 'activity_2026-01.csv', field: bad.column });
      expect(r!.reason).toMatch(bad.reason);
    }
  }, 120_000);

  it('stores each row as the LRS stores a POSTed statement (read back over HTTP with @xapi/xapi)', async () => {
    const x = h.xapi('2.0.0');
    // row 5: odd (no "mailto:" in the file), passed=yes, ISO due date
    const id5 = statementIdOf(configId, valuesOf(5));
    const s5 = (await x.getStatement({ statementId: id5 })).data as Record<string, any>;
    expect(s5).toMatchObject({
      id: id5,
      actor: { mbox: 'mailto:user5@example.com' },
      verb: { id: COMPLETED, display: { 'en-US': 'completed' } },
      object: { id: 'http://example.com/activities/a5' },
      result: { score: { scaled: 0.05 }, success: true, extensions: { [DUE]: '2026-05-01T00:00:00.000Z' } },
      context: { extensions: { [DEPT]: 'Dept 5' } },
      authority: { objectType: 'Agent', account: { name: `import-xapi/connection-${connectionId}` } },
      version: '2.0.0',
    });
    expect(new Date(s5.timestamp).toISOString()).toBe('2026-01-01T00:05:00.000Z');
    expect(typeof s5.stored).toBe('string');
    // row 6: even (mailto: in the file), passed=false, due in the configured format MM/dd/yyyy HH:mm (UTC)
    const s6 = (await x.getStatement({ statementId: statementIdOf(configId, valuesOf(6)) })).data as Record<string, any>;
    expect(s6.actor.mbox).toBe('mailto:user6@example.com');
    expect(s6.result).toMatchObject({ success: false, extensions: { [DUE]: '2026-05-01T10:30:00.000Z' } });

    // Queried by agent: user7's rows are i = 7, 507, 1007, ... (every 500th), minus the skipped ones.
    const mine = Array.from({ length: N / 500 }, (_, k) => 7 + 500 * k).filter((i) => !skipped(i) && !BAD_ROWS[i]);
    const got = await x.getStatements({ agent: { mbox: 'mailto:user7@example.com' } as never, limit: 100 });
    const statements = (got.data as { statements: Array<{ id: string }> }).statements;
    expect(statements.map((s) => s.id).sort()).toEqual(mine.map((i) => statementIdOf(configId, valuesOf(i))).sort());
    // Skipped rows are not in the LRS.
    await expect(x.getStatement({ statementId: statementIdOf(configId, valuesOf(0)) })).rejects.toMatchObject({ response: { status: 404 } });
  }, 60_000);

  it('re-importing the same rows (renamed, re-uploaded) creates no duplicates', async () => {
    await fs.writeFile(path.join(xapiDir(), 'activity_again.csv'), csvText(0, N));
    const run = await onDemand();
    expect(run.counts).toMatchObject({ read: N, created: 0, unchanged: expected.created, skipped: expected.skipped, rejected: expected.rejected });
    expect(await statementCount()).toBe(expected.created);
    expect(await fs.readdir(xapiDir())).toEqual([]);
  }, 120_000);

  it('a file missing a mapped column fails alone and is kept; the other files are imported and deleted', async () => {
    const before = await statementCount();
    const noDue = HEADER.filter((c) => c !== 'due');
    await fs.writeFile(path.join(xapiDir(), 'activity_broken.csv'), csvText(N, N + 10, noDue, (i) => row(i).filter((_, k) => HEADER[k] !== 'due')));
    await fs.writeFile(path.join(xapiDir(), 'activity_more.csv'), csvText(N, N + 10));
    await fs.writeFile(path.join(xapiDir(), 'other.csv'), csvText(0, 3));
    const run = await onDemand();
    expect(run.status).toBe('completed_with_errors');
    const fresh = Array.from({ length: 10 }, (_, k) => N + k).filter((i) => !skipped(i)).length;
    expect(run.counts).toMatchObject({ read: 10, created: fresh, rejected: 1 });
    expect(await statementCount()).toBe(before + fresh);
    const report = await errorReport(run.id);
    expect(report).toEqual([expect.objectContaining({ source: 'activity_broken.csv', line: '1', field: 'due' })]);
    expect(report[0].reason).toMatch(/lacks columns .*nothing of it was imported.*"due"/);
    // the broken file is kept, the processed one deleted, a file no configuration matches is left alone
    expect((await fs.readdir(xapiDir())).sort()).toEqual(['activity_broken.csv', 'other.csv']);
    await fs.rm(path.join(xapiDir(), 'activity_broken.csv'));
  }, 60_000);

  it('a file whose header names a column twice (two Email columns) is refused with file, line and column; nothing of it stored', async () => {
    const before = await statementCount();
    const twice = [...HEADER, 'Email'];
    await fs.writeFile(path.join(xapiDir(), 'activity_twice.csv'), csvText(N + 40, N + 43, twice, (i) => [...row(i), 'someone.else@example.com']));
    const run = await onDemand();
    expect(run.counts).toMatchObject({ created: 0, rejected: 1 });
    expect(await statementCount()).toBe(before);
    const report = await errorReport(run.id);
    expect(report).toEqual([expect.objectContaining({ source: 'activity_twice.csv' })]);
    expect(report[0].reason).toMatch(/activity_twice\.csv line 1, column 14: "Email" repeats column 1 \("email"\)/);
    expect(await fs.readdir(xapiDir())).toEqual(['activity_twice.csv', 'other.csv']);
    await fs.rm(path.join(xapiDir(), 'activity_twice.csv'));
  }, 60_000);

  it('a malformed file fails at its line: rows before it are stored, the file is kept', async () => {
    const before = await statementCount();
    const good = csvText(N + 24, N + 27); // three rows no filter skips
    await fs.writeFile(path.join(xapiDir(), 'activity_bad.csv'), good + 'x@example.com,"unclosed\n');
    const run = await onDemand();
    expect(run.counts).toMatchObject({ read: 3, created: 3, rejected: 1 });
    expect(await statementCount()).toBe(before + 3);
    const report = await errorReport(run.id);
    expect(report).toEqual([expect.objectContaining({ source: 'activity_bad.csv' })]);
    expect(report[0].reason).toMatch(/the file is kept/);
    expect(await fs.readdir(xapiDir())).toEqual(['activity_bad.csv', 'other.csv']);
    await fs.rm(path.join(xapiDir(), 'activity_bad.csv'));
  }, 60_000);

  it('invalid UTF-8 says what was actually stored: nothing, when the bad byte sits in the first chunk', async () => {
    const before = await statementCount();
    const good = Buffer.from(csvText(N + 50, N + 53));
    await fs.writeFile(path.join(xapiDir(), 'activity_latin1.csv'), Buffer.concat([good, Buffer.from('caf\xe9@example.com', 'latin1'), Buffer.from(',x\n')]));
    const run = await onDemand();
    expect(run.counts).toMatchObject({ created: 0, rejected: 1 });
    expect(await statementCount()).toBe(before);
    const report = await errorReport(run.id);
    expect(report).toEqual([expect.objectContaining({ source: 'activity_latin1.csv', line: '5' })]);
    expect(report[0].reason).not.toMatch(/rows before this line were imported/);
    expect(report[0].reason).toMatch(/nothing of this file was imported \(0 row\(s\) read before the error\); the file is kept/);
    await fs.rm(path.join(xapiDir(), 'activity_latin1.csv'));
  }, 60_000);

  it('invalid UTF-8 well after the first 64 KiB chunk: the reject counts the rows created and already stored before it; a dry run says "would be" (issue 19, point 6)', async () => {
    // Three rows stored by an earlier run (no filter skips them), so that the late file has rows already stored.
    await fs.writeFile(path.join(xapiDir(), 'activity_seed.csv'), csvText(N + 4990, N + 4993));
    expect((await onDemand()).counts).toMatchObject({ read: 3, created: 3 });
    const before = await statementCount();
    // Those three rows, then 8,000 new ones (about 1.3 MB: the rows of the first chunks are read and stored while
    // later chunks are still on disk), then the bad byte.
    const good = Buffer.from(csvText(N + 4990, N + 4993) + csvText(N + 5000, N + 13_000).split('\n').slice(1).join('\n'));
    expect(good.length).toBeGreaterThan(16 * 65_536);
    const name = 'activity_latin1_late.csv';
    await fs.writeFile(path.join(xapiDir(), name), Buffer.concat([good, Buffer.from('caf\xe9@example.com', 'latin1'), Buffer.from(',x\n')]));
    const badLine = String(good.toString('utf8').split('\n').length);
    const reasonOf = async (runId: number) => {
      const report = (await errorReport(runId)).filter((r) => r.source === name);
      expect(report.map((r) => r.line)).toEqual([badLine]);
      return report[0].reason;
    };
    try {
      const dry = await onDemand(true);
      expect(dry.counts.created).toBeGreaterThan(0);
      expect(dry.counts.unchanged).toBe(3);
      expect(await statementCount()).toBe(before);
      expect(await reasonOf(dry.id)).toMatch(/^the file is not valid UTF-8/);
      expect(await reasonOf(dry.id)).toContain(`of the ${dry.counts.read} row(s) read before the error, ${dry.counts.created} would be created and 3 were already stored; the file is kept`);

      const run = await onDemand();
      expect(run.counts.created).toBeGreaterThan(0);
      expect(run.counts.unchanged).toBe(3);
      // Every row read before the error is accounted for: stored, already stored, skipped or rejected (plus the file's reject).
      expect(run.counts.created + run.counts.unchanged + run.counts.skipped + run.counts.rejected - 1).toBe(run.counts.read);
      expect(await statementCount()).toBe(before + run.counts.created);
      const reason = await reasonOf(run.id);
      expect(reason).toContain(`of the ${run.counts.read} row(s) read before the error, ${run.counts.created} were created and 3 were already stored; the file is kept`);
      expect(reason).not.toMatch(/nothing of this file was imported|would be/);
      expect(await fs.readdir(xapiDir())).toContain(name);
    } finally {
      await fs.rm(path.join(xapiDir(), name), { force: true });
    }
  }, 120_000);

  it('a cancel stops the import before its next batch', async () => {
    const before = await statementCount();
    const ac = new AbortController();
    const rejects: unknown[] = [];
    const counts: Record<string, number> = {};
    const options = XapiImportOptionsSchema.parse(await getActionOptions(h.ctx, accountId, connectionId, 'import-xapi'));
    let batches = 0;
    const io = {
      ctx: h.ctx,
      accountId,
      principal: importPrincipal(accountId, { id: connectionId, name: 'Activity drop' }),
      dryRun: false,
      signal: ac.signal,
      reject: async (r: unknown) => void rejects.push(r),
      count: (k: string, n = 1) => void (counts[k] = (counts[k] ?? 0) + n),
      // the admin cancels while the first batch is being stored
      progress: () => void (++batches === 1 && ac.abort('cancel')),
    };
    const rows = Buffer.from(csvText(N + 100, N + 100 + 3 * IMPORT_BATCH));
    await expect(importFile(io, compileConfiguration(options.configurations[0]), { name: 'activity_big.csv', open: async () => Readable.from([rows]) }, 0)).rejects.toMatchObject({ code: 'LMC_ERR_XAPI_IMPORT_CANCELLED' });
    expect(batches).toBe(1);
    expect(counts.created).toBeGreaterThan(0);
    expect(await statementCount()).toBe(before + counts.created);
  }, 60_000);

  it('a row imported before with another mapping is rejected with the conflict, not duplicated', async () => {
    await updateXapiImportConfig(h.ctx, accountId, connectionId, configId, {
      mappings: CONFIG.mappings.map((m) => (m.path === 'verb.display.en-US' ? { ...m, path: 'verb.display.en-GB' } : m)),
    });
    await fs.writeFile(path.join(xapiDir(), 'activity_3.csv'), csvText(3, 8));
    const before = await statementCount();
    const run = await onDemand();
    // rows 3..7: row 3 is skipped (note "drop this"), 4..7 were stored with en-US
    expect(run.counts).toMatchObject({ read: 5, created: 0, skipped: 1, rejected: 4 });
    const report = await errorReport(run.id);
    expect(report.map((r) => [r.line, r.field])).toEqual([['3', 'id'], ['4', 'id'], ['5', 'id'], ['6', 'id']]);
    expect(report[0].reason).toMatch(/a different statement with this id is already stored/);
    // The statement id is known: it is the conflict row's record_id (issue 19, point 9).
    for (const r of report) expect((r as { record_id?: string }).record_id).toBe(/\(([0-9a-f-]{36})\)/.exec(r.reason)?.[1]);
    expect((report[0] as { record_id?: string }).record_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await statementCount()).toBe(before);
  }, 60_000);
  it('a batch mixing new rows and rows that conflict: the conflicts are rejected with line and id, the rest stored; a re-import and the dry run count the same', async () => {
    // The configuration maps verb.display.en-GB since the test above: rows 4..7, stored with en-US, conflict.
    const line = (i: number) => csvText(i, i + 1).split('\n')[1];
    const fresh = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => line(from + k));
    const from = N + 3000;
    // row 4 in the first batch; rows 5..7 in the second (after 700 new rows); 10 new rows after them
    const text = [HEADER.join(','), line(4), ...fresh(from, from + 700), line(5), line(6), line(7), ...fresh(from + 700, from + 710)].join('\n') + '\n';
    const conflicts = [[4, 2], [5, 703], [6, 704], [7, 705]].map(([i, l]) => [String(l), statementIdOf(configId, valuesOf(i))]);
    const want = expectedCounts(from, from + 710);
    const before = await statementCount();
    await fs.writeFile(path.join(xapiDir(), 'activity_mix.csv'), text);
    const dry = await onDemand(true);
    const run = await onDemand();
    expect(run.counts).toMatchObject({ read: 714, created: want.created, unchanged: 0, skipped: want.skipped, rejected: 4 });
    expect(dry.counts).toEqual(run.counts);
    expect(await statementCount()).toBe(before + want.created);
    const report = await errorReport(run.id);
    expect(report.map((r) => [r.line, r.record_id])).toEqual(conflicts);
    for (const r of report) expect(r.reason).toContain(`a different statement with this id is already stored (${r.record_id})`);
    // the new rows of both batches are stored and found by agent (the index rows queries use)
    const last = from + 709;
    const x = h.xapi('2.0.0');
    expect(((await x.getStatement({ statementId: statementIdOf(configId, valuesOf(last)) })).data as { verb: { display: object } }).verb.display).toEqual({ 'en-GB': 'completed' });
    const agent = { mbox: `mailto:user${last % 500}@example.com` };
    const byAgent = (await x.getStatements({ agent: agent as never, since: new Date(Date.now() - 3_600_000).toISOString(), limit: 500 })).data as { statements: Array<{ id: string }> };
    expect(byAgent.statements.map((s) => s.id)).toContain(statementIdOf(configId, valuesOf(last)));
    // again: the first batch finds everything stored, the second looks its rows up first; same rejects
    await fs.writeFile(path.join(xapiDir(), 'activity_mix.csv'), text);
    const again = await onDemand();
    expect(again.counts).toMatchObject({ read: 714, created: 0, unchanged: want.created, skipped: want.skipped, rejected: 4 });
    expect((await errorReport(again.id)).map((r) => [r.line, r.record_id])).toEqual(conflicts);
    expect(await statementCount()).toBe(before + want.created);
  }, 180_000);
  it('a configuration whose source file is absent says so in the run note and the notification, not a silent "read 0"', async () => {
    for (const f of await fs.readdir(xapiDir())) if (f.startsWith('activity_')) await fs.rm(path.join(xapiDir(), f));
    const run = await onDemand();
    expect([run.status, run.counts.read]).toEqual(['completed', 0]);
    expect(run.note).toBe('no file in import/xapi/ matched "activity_*.csv" (configuration "LMS activity")');
    const n = await h.ctx.db.selectFrom('notifications').select('body').where('run_id', '=', run.id).executeTakeFirstOrThrow();
    expect(n.body).toMatch(/^no file in import\/xapi\/ matched "activity_\*\.csv" \(configuration "LMS activity"\); read 0/);
  }, 60_000);
  it('a dry run predicts the real run exactly: rows repeated across batches and files counted once (issue 19, point 5)', async () => {
    const from = N + 1000;
    const to = from + IMPORT_BATCH + 200; // more than one batch
    const body = csvText(from, to);
    // File a repeats its first rows at its end (another batch); file b is a copy of a's rows.
    await fs.writeFile(path.join(xapiDir(), 'activity_dup_a.csv'), body + csvText(from, from + 5).split('\n').slice(1).join('\n'));
    await fs.writeFile(path.join(xapiDir(), 'activity_dup_b.csv'), body);
    const before = await statementCount();
    const dry = await onDemand(true);
    expect(await statementCount()).toBe(before);
    const real = await onDemand();
    expect(real.counts.created).toBeGreaterThan(0);
    expect(await statementCount()).toBe(before + real.counts.created);
    expect(dry.counts).toEqual(real.counts);
  }, 120_000);
});
