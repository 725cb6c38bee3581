import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementIdOf } from '../../src/pipelines/import-xapi/statement-id.ts';
import { testDrops, type TestDrop } from '../file-drops/helpers/test-drops.ts';
import { apiClient } from '../helpers/api.ts';
import { startLrs, type LrsHarness } from '../lrs/lrs-server.ts';
import { BAD_ROWS, COMPLETED, CONFIG, csvText, DEPT, DUE, expectedCounts, HEADER, row, skipped, valuesOf } from './fixtures.ts';
import { errorReportOf, lrsAccount, runThroughApi } from './helpers.ts';

// "Import xAPI" on Box (the connector's Box SDK against the Box simulator) and on Custom FTP (a real OpenSSH
// sshd; skipped, visibly, without root): the CSV is put into import/xapi/ of the drop the customer's way, the
// configuration (filters of every operator, mappings of every type) is made and the run started through the
// API, executed by the engine; statements are read back over HTTP with @xapi/xapi.

// Rows 100..3099 of the generated file (several batches of the import, streamed from the drop): skipped rows
// (every filter), bad rows 111..117 (every kind of reject).
const FROM = 100;
const TO = 3100;
const expected = expectedCounts(FROM, TO);
// A space and a non-ASCII letter in the name, as exports of European systems have.
const FILE = 'activity_März 2026.csv';

let h: LrsHarness;
let accountId: number;
beforeAll(async () => {
  h = await startLrs();
  accountId = (await lrsAccount(h)).id;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const statementCount = async () => Number((await h.ctx.pool.query('select count(*) from lrs_statements where account_id = $1', [accountId])).rows[0].count);

for (const d of await testDrops()) {
  describe.skipIf(!d.available)(`Import xAPI on ${d.label} through the engine`, () => {
    let drop: TestDrop;
    let connectionId: number;
    let configId: string;
    beforeAll(async () => {
      drop = await d.start();
    }, 60_000);
    afterAll(async () => {
      await drop?.close();
    });

    it('imports a CSV: filters, mappings of every type, bad rows in the error report, the file deleted from the drop', async () => {
      const api = apiClient(h.app, h.token);
      const c = await api.post('/api/v1/connections', { connectorId: drop.connectorId, name: `${d.label} activity`, settings: drop.settings });
      expect(c.statusCode, c.body).toBe(201);
      connectionId = c.data.id;
      await drop.put(`import/xapi/${FILE}`, csvText(FROM, TO));
      await drop.put('import/xapi/notes.txt', 'no configuration matches this file');

      // The mapping screen's column discovery reads the file from the drop.
      const cols = await api.get(`/api/v1/connections/${connectionId}/xapi-import/columns?sourceFileName=activity_*.csv`);
      expect(cols.statusCode, cols.body).toBe(200);
      expect(cols.data).toEqual({ files: [{ name: FILE, columns: HEADER }], columns: HEADER });
      const config = await api.post(`/api/v1/connections/${connectionId}/xapi-import/configurations`, CONFIG);
      expect(config.statusCode, config.body).toBe(201);
      configId = config.data.id;
      // Preview: the first rows of the file in the drop (the rest of the download is abandoned).
      const preview = await api.post(`/api/v1/connections/${connectionId}/xapi-import/preview`, { configurationId: configId, limit: 5 });
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.data).toMatchObject({ file: FILE, missingColumns: [] });
      expect(preview.data.rows.map((r: { line: number; outcome: string }) => [r.line, r.outcome])).toEqual([[2, 'skipped'], [3, 'skipped'], [4, 'skipped'], [5, 'statement'], [6, 'statement']]);
      expect(preview.data.rows[3].statement).toMatchObject({ id: statementIdOf(configId, valuesOf(103)), actor: { mbox: 'mailto:user103@example.com' } });

      const before = await statementCount();
      // A dry run converts and counts every row, stores nothing and deletes nothing.
      const dry = await runThroughApi(h, accountId, { connectionId, actionId: 'import-xapi', dryRun: true });
      expect(dry.status, dry.error ?? '').toBe('completed_with_errors');
      expect(dry.counts).toMatchObject({ read: expected.read, created: expected.created, skipped: expected.skipped, rejected: expected.rejected });
      expect(await statementCount()).toBe(before);
      expect(await drop.files('import/xapi')).toEqual([FILE, 'notes.txt']);

      const run = await runThroughApi(h, accountId, { connectionId, actionId: 'import-xapi' });
      expect(run.status, run.error ?? '').toBe('completed_with_errors');
      expect(run.counts).toMatchObject({ read: expected.read, created: expected.created, unchanged: 0, skipped: expected.skipped, rejected: expected.rejected });
      expect(await statementCount()).toBe(before + expected.created);

      // Each bad row is in the error report with its file, line (header = 1) and column.
      const report = await errorReportOf(h, run.id);
      const bad = Object.entries(BAD_ROWS).filter(([i]) => Number(i) >= FROM && Number(i) < TO);
      expect(bad).toHaveLength(expected.rejected);
      expect(report.map((r) => [r.source, r.line, r.field])).toEqual(bad.map(([i, b]) => [FILE, String(Number(i) - FROM + 2), b.column]));
      bad.forEach(([, b], k) => expect(report[k].reason).toMatch(b.reason));

      // Processed: deleted from the drop; the file no configuration matches is left alone.
      expect(await drop.files('import/xapi')).toEqual(['notes.txt']);
    }, 60_000);

    it('stores every row as the LRS stores a POSTed statement (read back over HTTP with @xapi/xapi)', async () => {
      const x = h.xapi('2.0.0');
      const rows = Array.from({ length: 30 }, (_, k) => FROM + k);
      const got: Array<Record<string, any> | number | undefined> = await Promise.all(
        rows.map((i) =>
          x.getStatement({ statementId: statementIdOf(configId, valuesOf(i)) }).then(
            (r) => r.data as Record<string, any>,
            (e: { response?: { status: number } }) => e.response?.status,
          ),
        ),
      );
      rows.forEach((i, k) => {
        if (skipped(i) || BAD_ROWS[i]) expect(got[k], `row ${i}`).toBe(404);
        else expect(got[k], `row ${i}`).toMatchObject({ actor: { mbox: `mailto:user${i}@example.com` }, authority: { account: { name: `import-xapi/connection-${connectionId}` } } });
      });
      // Row 107 (odd: a bare address, "yes", an ISO due date); row 108 (mailto:, "false", the configured date format).
      expect(got[107 - FROM]).toMatchObject({
        actor: { mbox: 'mailto:user107@example.com' },
        verb: { id: COMPLETED, display: { 'en-US': 'completed' } },
        object: { id: 'http://example.com/activities/a7' },
        result: { score: { scaled: 0.07 }, success: true, extensions: { [DUE]: '2026-05-01T00:00:00.000Z' } },
        context: { extensions: { [DEPT]: 'Dept 2' } },
        authority: { objectType: 'Agent', name: `Import xAPI: ${d.label} activity` },
        version: '2.0.0',
      });
      const [s107, s108] = [got[107 - FROM], got[108 - FROM]] as Array<Record<string, any>>;
      expect(new Date(s107.timestamp).toISOString()).toBe('2026-01-01T01:47:00.000Z');
      expect(s108.result).toMatchObject({ score: { scaled: 0.08 }, success: false, extensions: { [DUE]: '2026-05-01T10:30:00.000Z' } });
    });

    it('the same file re-uploaded and re-run creates no duplicates (through transient faults of the service)', async () => {
      await drop.put(`import/xapi/${FILE}`, csvText(FROM, TO));
      const before = await statementCount();
      const wentThroughFaults = drop.flaky?.();
      const run = await runThroughApi(h, accountId, { connectionId, actionId: 'import-xapi' });
      expect(run.status, run.error ?? '').toBe('completed_with_errors');
      wentThroughFaults?.();
      expect(run.counts).toMatchObject({ read: expected.read, created: 0, unchanged: expected.created, skipped: expected.skipped, rejected: expected.rejected });
      expect(await statementCount()).toBe(before);
      expect(await drop.files('import/xapi')).toEqual(['notes.txt']);
    }, 60_000);

    it('a file missing a mapped column fails alone and stays in the drop; the other file is imported and deleted', async () => {
      const noDue = HEADER.filter((c) => c !== 'due');
      await drop.put('import/xapi/activity_broken.csv', csvText(TO, TO + 10, noDue, (i) => row(i).filter((_, k) => HEADER[k] !== 'due')));
      await drop.put('import/xapi/activity_more.csv', csvText(TO, TO + 10));
      const before = await statementCount();
      const run = await runThroughApi(h, accountId, { connectionId, actionId: 'import-xapi' });
      const fresh = expectedCounts(TO, TO + 10);
      expect(run.counts).toMatchObject({ read: 10, created: fresh.created, skipped: fresh.skipped, rejected: 1 });
      expect(await statementCount()).toBe(before + fresh.created);
      const report = await errorReportOf(h, run.id);
      expect(report.map((r) => [r.source, r.line, r.field])).toEqual([['activity_broken.csv', '1', 'due']]);
      expect(await drop.files('import/xapi')).toEqual(['activity_broken.csv', 'notes.txt']);
    }, 60_000);

    it('a malformed file stops at its bad line and stays; the drop is still read after the abandoned download', async () => {
      // Big enough that the download is still streaming when the bad line stops the read.
      const good = csvText(TO + 100, TO + 2100);
      await drop.put('import/xapi/activity_broken.csv', good + 'x@example.com,"unclosed\n' + csvText(TO + 3000, TO + 4000).split('\n').slice(1).join('\n'));
      await drop.put('import/xapi/activity_zz.csv', csvText(TO + 5000, TO + 5010));
      const before = await statementCount();
      const run = await runThroughApi(h, accountId, { connectionId, actionId: 'import-xapi' });
      const [head, tail] = [expectedCounts(TO + 100, TO + 2100), expectedCounts(TO + 5000, TO + 5010)];
      expect(run.counts).toMatchObject({ read: head.read + tail.read, created: head.created + tail.created, rejected: head.rejected + 1 });
      expect(await statementCount()).toBe(before + head.created + tail.created);
      const report = await errorReportOf(h, run.id);
      expect(report.map((r) => r.source)).toEqual(['activity_broken.csv']);
      expect(report[0].reason).toMatch(/the file is kept/);
      expect(await drop.files('import/xapi')).toEqual(['activity_broken.csv', 'notes.txt']);
    }, 60_000);
  });
}
