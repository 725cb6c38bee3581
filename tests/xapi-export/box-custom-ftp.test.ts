import { parse } from 'csv-parse/sync';
import unzipper from 'unzipper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xapiExportFileName } from '../../src/pipelines/export-xapi/export-xapi-action.ts';
import { testDrops, type TestDrop } from '../file-drops/helpers/test-drops.ts';
import { apiClient } from '../helpers/api.ts';
import { startLrs, statement, type LrsHarness } from '../lrs/lrs-server.ts';
import { lrsAccount, rerunThroughApi, runThroughApi } from '../xapi-import/helpers.ts';

// "Export xAPI" on Box (the connector's Box SDK against the Box simulator) and on Custom FTP (a real OpenSSH
// sshd; skipped, visibly, without root): statements are sent over HTTP with @xapi/xapi, the configuration and
// the action's options are saved and the run started through the API, executed by the engine; the file is
// fetched back from the Box folder / with OpenSSH's sftp and compared, plain and zipped.

const DEPT = 'http://example.com/ext/department';
const COLUMNS = [
  { path: 'actor.mbox', column: 'Learner', type: 'string' },
  { path: 'verb.display.en-US', column: 'Verb', type: 'string' },
  { path: 'result.score.scaled', column: 'Score', type: 'number' },
  { path: 'result.success', column: 'Passed', type: 'boolean' },
  { path: `context.extensions["${DEPT}"]`, column: 'Department', type: 'string' },
  { path: 'timestamp', column: 'When', type: 'date' },
];
const NA = 'N/A';
// The second statement lacks an en-US display, a result and the extension: N/A in those columns.
const EXPECTED = [
  COLUMNS.map((c) => c.column),
  ['mailto:ada@example.com', 'completed', '0.9', 'true', 'Sales, "EMEA"', '2026-03-01T08:00:00.000Z'],
  ['mailto:zoe@example.com', NA, NA, NA, NA, '2026-03-02T09:30:00.000Z'],
];

let h: LrsHarness;
let accountId: number;
let configurationId: number;
let since: Date;
// The exports' window ends here (statements sent later, by the re-run test, are outside it).
let until: Date;
beforeAll(async () => {
  h = await startLrs();
  accountId = (await lrsAccount(h)).id;
  since = new Date(Date.now() - 1000);
  await h.xapi('2.0.0').sendStatements({
    statements: [
      statement({ result: { score: { scaled: 0.9 }, success: true }, context: { extensions: { [DEPT]: 'Sales, "EMEA"' } }, timestamp: '2026-03-01T10:00:00+02:00' }),
      statement({ actor: { mbox: 'mailto:zoe@example.com' }, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'fr-FR': 'a essayé' } }, timestamp: '2026-03-02T09:30:00Z' }),
    ] as never,
  });
  until = new Date(Date.now() + 1);
  await new Promise((r) => setTimeout(r, 5));
  const config = await apiClient(h.app, h.token).post('/api/v1/xapi-export/configurations', { name: 'Activity report', columns: COLUMNS });
  expect(config.statusCode, config.body).toBe(201);
  configurationId = config.data.id;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

for (const d of await testDrops()) {
  describe.skipIf(!d.available)(`Export xAPI on ${d.label} through the engine`, () => {
    let drop: TestDrop;
    let connectionId: number;
    beforeAll(async () => {
      drop = await d.start();
      const c = await apiClient(h.app, h.token).post('/api/v1/connections', { connectorId: drop.connectorId, name: `${d.label} xAPI`, settings: drop.settings });
      expect(c.statusCode, c.body).toBe(201);
      connectionId = c.data.id;
    }, 60_000);
    afterAll(async () => {
      await drop?.close();
    });

    let lastRunId: number;
    /** Saves the action's options, runs an on-demand export of [since, until) and returns the file's drop path. */
    async function exportTo(location: string, zip: boolean): Promise<string> {
      const api = apiClient(h.app, h.token);
      const saved = await api.put(`/api/v1/connections/${connectionId}/actions/export-xapi/settings`, { options: { configurationId, zip, location } });
      expect(saved.statusCode, saved.body).toBe(200);
      const run = await runThroughApi(h, accountId, { connectionId, actionId: 'export-xapi', since: since.toISOString(), until: until.toISOString() });
      expect([run.status, run.error ?? '', run.counts.read, run.counts.created]).toEqual(['completed', '', 2, 2]);
      lastRunId = run.id;
      const name = xapiExportFileName(since, until) + (zip ? '.zip' : '');
      expect(await drop.files(`export/${location}`)).toEqual([name]);
      const listed = await api.get(`/api/v1/connections/${connectionId}/exports`);
      expect(listed.data.map((f: { path: string }) => f.path)).toContain(`export/${location}/${name}`);
      return `export/${location}/${name}`;
    }

    it('writes the CSV (N/A for missing paths) that the customer fetches from the drop', async () => {
      const file = await exportTo('activity', false);
      expect(parse(await drop.get(file))).toEqual(EXPECTED);
    }, 60_000);

    it('zipped: one .csv.zip holding the same CSV (written through transient faults of the service)', async () => {
      const wentThroughFaults = drop.flaky?.();
      const file = await exportTo('activity/zipped', true);
      wentThroughFaults?.();
      const zip = await unzipper.Open.buffer(await drop.get(file));
      expect(zip.files.map((f) => f.path)).toEqual([file.split('/').pop()!.replace(/\.zip$/, '')]);
      expect(parse(await zip.files[0].buffer())).toEqual(EXPECTED);
    }, 60_000);

    it('a re-run writes the same window again into a file of its own, never over the first one', async () => {
      const file = await exportTo('activity/rerun', false);
      await drop.put(file, 'a copy the receiving system already took\n');
      // Sent after the window's end: not in the re-run's file either.
      await h.xapi('2.0.0').sendStatements({ statements: [statement({ actor: { mbox: 'mailto:late@example.com' } })] as never });
      const again = await rerunThroughApi(h, accountId, lastRunId);
      expect([again.status, again.error ?? '', again.counts.read]).toEqual(['completed', '', 2]);
      const name = file.split('/').pop()!;
      const second = name.replace(/\.csv$/, `_run${again.id}.csv`);
      expect((await drop.files('export/activity/rerun')).sort()).toEqual([name, second].sort());
      expect(String(await drop.get(file))).toBe('a copy the receiving system already took\n');
      expect(parse(await drop.get(`export/activity/rerun/${second}`))).toEqual(EXPECTED);
    }, 60_000);
  });
}
