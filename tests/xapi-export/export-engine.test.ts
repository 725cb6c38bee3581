import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import unzipper from 'unzipper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putActionOptions } from '../../src/engine/action-settings.ts';
import { createConnection, historyKeyOf } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { executeRun } from '../../src/engine/executor.ts';
import { createOnDemandRun, getRun, inTransaction, insertQueuedRun } from '../../src/engine/runs.ts';
import { createXapiExportConfig, deleteXapiExportConfig } from '../../src/pipelines/export-xapi/export-config.ts';
import { apiClient, createAccountWithToken } from '../helpers/api.ts';
import { startLrs, statement, type LrsHarness } from '../lrs/lrs-server.ts';

// Statements are sent over HTTP with @xapi/xapi to the running LRS; the "Export xAPI" action runs through the
// engine (executeRun, the worker's entry point) on a local-directory connection; the files are read back.

let h: LrsHarness;
let accountId: number;
let userId: number;
let dir: string;
let connectionId: number;
let configId: number;
const timings = engineTimings({ LMC_RUN_LEASE_MS: '30000', LMC_RUN_HEARTBEAT_MS: '200' });
const DEPT = 'http://example.com/ext/department';
const SCORE = 'http://example.com/ext/score';
const COLUMNS = [
  { path: 'actor.mbox', column: 'learner', type: 'string' },
  { path: 'verb.id', column: 'verb', type: 'string' },
  { path: 'verb.display.en-US', column: 'verb (en-US)', type: 'string' },
  { path: 'object.id', column: 'activity', type: 'string' },
  { path: 'result.score.scaled', column: 'score', type: 'number' },
  { path: 'result.success', column: 'success', type: 'boolean' },
  { path: `context.extensions["${DEPT}"]`, column: 'department', type: 'string' },
  { path: `context.extensions['${SCORE}']`, column: 'ext score', type: 'number' },
  { path: 'context.contextActivities.parent[0].id', column: 'parent', type: 'string' },
  { path: 'timestamp', column: 'when', type: 'date' },
  { path: 'result.extensions["http://example.com/ext/due"]', column: 'due', type: 'date' },
] as const;

/** Sends one batch (one POST: the statements share one `stored`) and returns that stored time. */
async function send(statements: Array<Record<string, unknown>>, auth?: { key: string; secret: string }): Promise<{ ids: string[]; stored: Date }> {
  const x = h.xapi('2.0.0', auth);
  const ids = (await x.sendStatements({ statements: statements as never })).data;
  const got = (await x.getStatement({ statementId: ids[0] })).data as { stored: string };
  // Keep batches apart in time so that each batch has its own `stored`.
  await new Promise((r) => setTimeout(r, 5));
  return { ids, stored: new Date(got.stored) };
}

const ctxOf = (ext: Record<string, unknown>, parent?: string) => ({
  context: { extensions: ext, ...(parent ? { contextActivities: { parent: { id: parent } } } : {}) },
});

let t1: Date, t2: Date, t3: Date;
let voidedId: string;

beforeAll(async () => {
  h = await startLrs();
  const cred = await h.ctx.db.selectFrom('lrs_credentials').select('account_id').where('key', '=', h.key).executeTakeFirstOrThrow();
  accountId = cred.account_id;
  userId = (await h.ctx.db.selectFrom('users').select('id').where('account_id', '=', accountId).executeTakeFirstOrThrow()).id;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-xapi-export-'));
  connectionId = (await createConnection(h.ctx, { accountId, userId }, { connectorId: 'local-directory', name: 'xAPI drop', settings: { root: dir } })).id;
  configId = (await createXapiExportConfig(h.ctx.db, accountId, { name: 'Activity report', columns: COLUMNS })).id;

  // Another account's statements, sent in between: they must never appear in this account's exports.
  const other = await createAccountWithToken(h.ctx, { email: 'other@acme.test' });
  const otherKey = (await apiClient(h.app, other.token).post('/api/v1/lrs-credentials', { name: 'other', scopes: ['read', 'write'] })).data as { key: string; secret: string };

  ({ stored: t1 } = await send([
    statement({
      actor: { mbox: 'mailto:ada@example.com' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/scored', display: { 'en-US': 'scored, "well"', 'fr-FR': 'a obtenu' } },
      result: { score: { scaled: 0.85 }, success: true, extensions: { 'http://example.com/ext/due': '2026-03-01T10:00:00+02:00' } },
      timestamp: '2026-02-28T23:30:00.250-01:00',
      ...ctxOf({ [DEPT]: 'Sales', [SCORE]: 42.5 }, 'http://example.com/courses/safety'),
    }),
    statement({
      // No mbox (an account IFI), no en-US display, no result, no extensions, no parent: N/A in those columns.
      actor: { account: { homePage: 'https://hr.example.com', name: 'E-1002' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'fr-FR': 'a essayé' } },
      timestamp: '2026-03-02T08:00:00Z',
    }),
  ]));
  await send([statement({ actor: { mbox: 'mailto:eve@other.test' }, ...ctxOf({ [DEPT]: 'Other account' }) })], otherKey);
  let voided: string[];
  ({ stored: t2, ids: voided } = await send([
    statement({
      // Wrong types: the number column gets a string, the boolean column a string, the date column an impossible
      // ISO date (shaped right, so the database's date check decides: lmc_is_timestamptz, on 15 as on 16+).
      actor: { mbox: 'mailto:bob@example.com' },
      result: { success: false, score: { scaled: 1 }, extensions: { 'http://example.com/ext/due': '2026-02-30T10:00:00Z' } },
      timestamp: '2026-03-03T12:00:00Z',
      ...ctxOf({ [DEPT]: { code: 7, name: 'R&D' }, [SCORE]: 'high' }),
    }),
    statement({ actor: { mbox: 'mailto:carl@example.com' }, timestamp: '2026-03-03T12:00:01Z' }),
  ]));
  voidedId = voided[1];
  ({ stored: t3 } = await send([
    statement({
      actor: { mbox: 'mailto:ada@example.com' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
      object: { objectType: 'StatementRef', id: voidedId },
      timestamp: '2026-03-04T00:00:00Z',
    }),
  ]));
}, 60_000);

afterAll(async () => {
  await h?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function onDemand(since: Date, until?: Date, options?: Record<string, unknown>) {
  if (options) await putActionOptions(h.ctx, accountId, connectionId, 'export-xapi', options);
  const run = await createOnDemandRun(h.ctx, { accountId, userId }, { connectionId, actionId: 'export-xapi', since, until });
  await executeRun(h.ctx, run.id, { workerId: 'test', timings });
  return getRun(h.ctx, accountId, run.id);
}

const csv = (text: string) => parse(text, { relax_column_count: false }) as string[][];
const header = COLUMNS.map((c) => c.column);
const NA = 'N/A';
const ROW_ADA = ['mailto:ada@example.com', 'http://adlnet.gov/expapi/verbs/scored', 'scored, "well"', 'http://example.com/activities/intro', '0.85', 'true', 'Sales', '42.5', 'http://example.com/courses/safety', '2026-03-01T00:30:00.250Z', '2026-03-01T08:00:00.000Z'];

describe('Export xAPI through the engine to a local directory', () => {
  it('writes every column as configured: language maps, IRI extension keys, array items, N/A for missing paths', async () => {
    const until = new Date(t2.getTime());
    const run = await onDemand(t1, until, { configurationId: configId, location: 'xapi' });
    expect([run.status, run.counts.read]).toEqual(['completed', 2]);
    const name = path.join(dir, 'export', 'xapi', `xapi_statements_${iso(t1)}_to_${iso(until)}.csv`);
    const rows = csv(await fs.readFile(name, 'utf8'));
    // Dates in UTC: 2026-02-28T23:30:00.250-01:00 is 2026-03-01T00:30:00.250Z.
    expect(rows).toEqual([
      header,
      ROW_ADA,
      [NA, 'http://adlnet.gov/expapi/verbs/attempted', NA, 'http://example.com/activities/intro', NA, NA, NA, NA, NA, '2026-03-02T08:00:00.000Z', NA],
    ]);
  });

  it('window edges: from inclusive, to exclusive; voided statements excluded, the voiding statement kept; zip', async () => {
    const run = await onDemand(t2, t3, { configurationId: configId, location: 'xapi/zipped', zip: true });
    expect([run.status, run.counts.read]).toEqual(['completed', 1]);
    const file = path.join(dir, 'export', 'xapi', 'zipped', `xapi_statements_${iso(t2)}_to_${iso(t3)}.csv.zip`);
    const zip = await unzipper.Open.file(file);
    expect(zip.files.map((f) => f.path)).toEqual([`xapi_statements_${iso(t2)}_to_${iso(t3)}.csv`]);
    const rows = csv((await zip.files[0].buffer()).toString('utf8'));
    // Wrong types are N/A (number "high", boolean false is a boolean, date "2026-02-30T10:00:00Z"); an object in a
    // string column is its JSON. Carl's statement was voided (by the batch at t3): not exported.
    expect(rows).toEqual([
      header,
      ['mailto:bob@example.com', 'http://adlnet.gov/expapi/verbs/completed', 'completed', 'http://example.com/activities/intro', '1', 'false', '{"code": 7, "name": "R&D"}', NA, NA, '2026-03-03T12:00:00.000Z', NA],
    ]);
    const all = await onDemand(t1, new Date(t3.getTime() + 1), { configurationId: configId, location: 'xapi/all', zip: false });
    const allRows = csv(await fs.readFile(path.join(dir, 'export', 'xapi', 'all', `xapi_statements_${iso(t1)}_to_${iso(new Date(t3.getTime() + 1))}.csv`), 'utf8'));
    expect(all.counts.read).toBe(4);
    expect(allRows.map((r) => r[0])).toEqual(['learner', 'mailto:ada@example.com', NA, 'mailto:bob@example.com', 'mailto:ada@example.com']);
    expect(allRows[4].slice(1, 4)).toEqual(['http://adlnet.gov/expapi/verbs/voided', 'voided', voidedId]);
    // Never another account's statement.
    expect(allRows.flat()).not.toContain('mailto:eve@other.test');
  });

  it('scheduled runs continue from the last successful window', async () => {
    // Its own connection: on-demand runs of the first one count as successful windows too.
    const NAME = 'xAPI scheduled';
    const conn = (await createConnection(h.ctx, { accountId, userId }, { connectorId: 'local-directory', name: NAME, settings: { root: dir } })).id;
    const scheduled = async (since: Date | null, slot: Date) => {
      const id = await inTransaction(h.ctx, (c) =>
        insertQueuedRun(h.ctx, c, {
          account_id: accountId, connection_id: conn, history_key: historyKeyOf('local-directory', NAME), connector_id: 'local-directory',
          action_id: 'export-xapi', type: 'export', trigger: 'schedule', started_by: null, slot_at: slot, window_since: since, window_until: slot,
          options: { configurationId: configId, location: 'xapi/scheduled' }, dry_run: false, disable_access: false, rerun_of: null,
        }),
      );
      await executeRun(h.ctx, id!, { workerId: 'test', timings });
      return getRun(h.ctx, accountId, id!);
    };
    const a = await scheduled(t1, t2);
    const b = await scheduled(null, new Date(t3.getTime() + 1000));
    expect(a.error).toBeFalsy();
    expect([a.status, a.counts.read, b.status, b.counts.read]).toEqual(['completed', 2, 'completed', 2]);
    expect(b.window.since).toEqual(t2);
    expect((await fs.readdir(path.join(dir, 'export', 'xapi', 'scheduled'))).sort()).toEqual([
      `xapi_statements_${iso(t1)}_to_${iso(t2)}.csv`,
      `xapi_statements_${iso(t2)}_to_${iso(new Date(t3.getTime() + 1000))}.csv`,
    ]);
  });

  it('two runs with the same window (same second) write two files: the second never replaces the first', async () => {
    const until = new Date(t2.getTime());
    const a = await onDemand(t1, until, { configurationId: configId, location: 'xapi/twice' });
    const b = await onDemand(t1, until, { configurationId: configId, location: 'xapi/twice' });
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    const base = `xapi_statements_${iso(t1)}_to_${iso(until)}`;
    const names = (await fs.readdir(path.join(dir, 'export', 'xapi', 'twice'))).sort();
    expect(names).toEqual([`${base}.csv`, `${base}_run${b.id}.csv`]);
    for (const n of names) expect(csv(await fs.readFile(path.join(dir, 'export', 'xapi', 'twice', n), 'utf8'))).toHaveLength(3);
  });

  it('a deleted or missing configuration fails the run visibly', async () => {
    const c = await createXapiExportConfig(h.ctx.db, accountId, { name: 'Short-lived', columns: [{ path: 'id', column: 'id' }] });
    await deleteXapiExportConfig(h.ctx.db, accountId, c.id);
    const run = await onDemand(t1, t3, { configurationId: c.id, location: 'xapi' });
    expect(run.status).toBe('failed');
    expect(run.error).toContain(`no such xAPI export configuration: id ${c.id}`);
    const none = await onDemand(t1, t3, { location: 'xapi' });
    expect([none.status, none.error]).toEqual(['failed', expect.stringContaining('no export configuration chosen')]);
  });
});

/** The file-name date of export-file-name.ts (ISO 8601 basic, UTC, seconds). */
function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
