import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { listRuns } from '../../src/engine/runs.ts';
import { startWorker } from '../../src/engine/worker.ts';
import { apiClient, createAccountWithToken } from '../helpers/api.ts';
import { runLmc } from '../helpers/cli.ts';
import { lrsAccount } from './helpers.ts';
import { startLrs, type LrsHarness } from '../lrs/lrs-server.ts';
import { csvText, FILTERS, MAPPINGS } from './fixtures.ts';

// The configuration API (CRUD with required mappings pre-filled, validation naming the field, columns of the
// drop's files, preview as a dry run, account isolation) and the same through the CLI (`lmc xapi-import`),
// then a CLI run (`lmc run <connection> import-xapi --wait`).

let h: LrsHarness;
let slug: string;
let dir: string;
let conn: number;

const lmc = (...args: string[]) => runLmc(h.ctx, [...args, '--account', slug]);

beforeAll(async () => {
  h = await startLrs();
  slug = (await lrsAccount(h)).slug;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-xapi-import-api-'));
  await fs.mkdir(path.join(dir, 'import', 'xapi'), { recursive: true });
  await fs.writeFile(path.join(dir, 'import', 'xapi', 'activity_1.csv'), csvText(110, 120));
  const c = await apiClient(h.app, h.token).post('/api/v1/connections', { connectorId: 'local-directory', name: 'Activity', settings: { root: dir } });
  expect(c.statusCode, c.body).toBe(201);
  conn = c.data.id;
}, 60_000);
afterAll(async () => {
  await h?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('xAPI import API', () => {
  it('creates a configuration with the required mappings pre-filled, maps, filters, previews, deletes', async () => {
    const api = apiClient(h.app, h.token);
    const base = `/api/v1/connections/${conn}/xapi-import`;
    const created = await api.post(`${base}/configurations`, { name: 'LMS', sourceFileName: 'activity_*.csv' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.data.id as string;
    expect(created.data.mappings).toEqual([
      { path: 'actor.mbox', column: '', type: 'string' },
      { path: 'verb.id', column: '', type: 'string' },
      { path: 'object.id', column: '', type: 'string' },
    ]);
    expect(created.data).toMatchObject({ ready: false, problems: ['actor.mbox is not mapped to a column', 'verb.id is not mapped to a column', 'object.id is not mapped to a column'] });
    expect((await api.post(`${base}/configurations`, { name: 'lms', sourceFileName: 'x.csv' })).data.error.code).toBe('LMC_ERR_XAPI_IMPORT_NAME_TAKEN');

    // the columns of the drop's files, for the mapping screen
    const cols = await api.get(`${base}/columns?sourceFileName=activity_*.csv`);
    expect(cols.data.files.map((f: { name: string }) => f.name)).toEqual(['activity_1.csv']);
    expect(cols.data.columns).toContain('completed_at');

    // a bad path, a gt on a non-number/non-date, a path mapped twice: refused naming the field
    const badPath = await api.put(`${base}/configurations/${id}`, { mappings: [...MAPPINGS, { path: 'result..score', column: 'score', type: 'number' }] });
    expect(badPath.statusCode).toBe(400);
    expect(badPath.data.error).toMatchObject({ code: 'LMC_ERR_XAPI_IMPORT_BAD_CONFIG', field: `mappings.${MAPPINGS.length}.path` });
    const badGt = await api.put(`${base}/configurations/${id}`, { filters: [{ name: 'f', conditions: [{ column: 'score', op: 'gt', value: 'high' }] }] });
    expect(badGt.data.error).toMatchObject({ code: 'LMC_ERR_XAPI_IMPORT_BAD_CONFIG', field: 'filters.0.conditions.0.value' });

    const saved = await api.put(`${base}/configurations/${id}`, { mappings: MAPPINGS, filters: FILTERS, dateFormat: 'MM/dd/yyyy HH:mm' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.data.ready).toBe(true);
    expect((await api.get(`${base}/configurations`)).data.map((c: { name: string }) => c.name)).toEqual(['LMS']);

    // preview: rows 110..114 of the generated file: 110 a statement, 111 bad mbox, 112 bad verb, 113 bad score, 114 bad date
    const p = await api.post(`${base}/preview`, { configurationId: id, limit: 5 });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.data.file).toBe('activity_1.csv');
    expect(p.data.rows.map((r: { outcome: string; field?: string }) => [r.outcome, r.field ?? ''])).toEqual([
      ['statement', ''],
      ['rejected', 'email'],
      ['rejected', 'verb'],
      ['rejected', 'score'],
      ['rejected', 'due'],
    ]);
    const unsaved = await api.post(`${base}/preview`, { configuration: { name: 'try', sourceFileName: 'activity_1.csv', mappings: MAPPINGS.slice(0, 4) }, limit: 1 });
    expect(unsaved.data.rows[0]).toMatchObject({ outcome: 'statement', statement: { actor: { mbox: 'mailto:user110@example.com' }, verb: { display: { 'en-US': 'completed' } } } });
    // nothing was stored by previews
    expect(Number((await h.ctx.pool.query('select count(*) from lrs_statements')).rows[0].count)).toBe(0);

    // another account sees nothing of this connection
    const other = await createAccountWithToken(h.ctx, { email: 'other@acme.test' });
    expect((await apiClient(h.app, other.token).get(`${base}/configurations`)).statusCode).toBe(404);

    expect((await api.delete(`${base}/configurations/${id}`)).statusCode).toBe(204);
    expect((await api.get(`${base}/configurations/${id}`)).data.error.code).toBe('LMC_ERR_XAPI_IMPORT_NOT_FOUND');
  });
});

describe('lmc xapi-import', () => {
  it('creates, maps, shows, previews, lists columns and runs an import from the CLI', async () => {
    const created = await lmc('xapi-import', 'create', String(conn), '--name', 'CLI', '--source', 'activity_1.csv', '--json');
    expect(created.code, created.err).toBe(0);
    const id = JSON.parse(created.out).id as string;
    const mapped = await lmc('xapi-import', 'update', String(conn), id,
      '--map', 'actor.mbox=email', '--map', 'verb.id=verb', '--map', 'object.id=activity',
      '--map', 'result.score.scaled:number=score', '--map', 'context.extensions.http://example.com/ext/department=dept', '--json');
    expect(mapped.code, mapped.err).toBe(0);
    expect(JSON.parse(mapped.out)).toMatchObject({ ready: true, mappings: [
      { path: 'actor.mbox', column: 'email' }, { path: 'verb.id', column: 'verb' }, { path: 'object.id', column: 'activity' },
      { path: 'result.score.scaled', column: 'score', type: 'number' }, { path: 'context.extensions.http://example.com/ext/department', column: 'dept' },
    ] });
    const show = await lmc('xapi-import', 'show', String(conn), id);
    expect(show.out).toContain('result.score.scaled');
    const cols = await lmc('xapi-import', 'columns', String(conn));
    expect(cols.out).toContain('activity_1.csv');
    // --json: the columns are a list, not one joined string (issue 19, point 9)
    const colsJson = await lmc('xapi-import', 'columns', String(conn), '--json');
    const listed = JSON.parse(colsJson.out) as Array<{ file: string; columns: unknown }>;
    expect(listed.find((f) => f.file === 'activity_1.csv')?.columns).toEqual(expect.arrayContaining(['email', 'verb', 'activity']));
    expect(listed.every((f) => Array.isArray(f.columns))).toBe(true);
    const preview = await lmc('xapi-import', 'preview', String(conn), id, '--limit', '3', '--json');
    expect(JSON.parse(preview.out).rows.map((r: { outcome: string }) => r.outcome)).toEqual(['statement', 'rejected', 'rejected']);

    const worker = await startWorker(h.ctx, { timings: engineTimings() });
    let run;
    try {
      run = await lmc('run', String(conn), 'import-xapi', '--wait', '--json');
    } finally {
      await worker.stop();
    }
    // rows 110..119: 111 (bad mbox), 112 (bad verb), 113 (bad score) rejected; the rest created
    expect(run.out + run.err).toContain('completed_with_errors');
    const accountId = (await h.ctx.db.selectFrom('lrs_credentials').select('account_id').where('key', '=', h.key).executeTakeFirstOrThrow()).account_id;
    const runs = await listRuns(h.ctx, accountId, { connectionId: conn });
    expect(runs[0]).toMatchObject({ status: 'completed_with_errors', counts: { read: 10, created: 7, rejected: 3 } });
    await expect(fs.readdir(path.join(dir, 'import', 'xapi'))).resolves.toEqual([]);

    const bad = await lmc('xapi-import', 'update', String(conn), id, '--map', 'result..x=score');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('LMC_ERR_XAPI_IMPORT_BAD_CONFIG');
  }, 300_000); // a dozen CLI processes, each compiling its TypeScript: minutes on a busy 2-core machine
});
