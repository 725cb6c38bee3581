import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker } from '../../src/engine/worker.ts';
import { apiClient, createAccountWithToken } from '../helpers/api.ts';
import { runLmc } from '../helpers/cli.ts';
import { lrsAccount } from '../xapi-import/helpers.ts';
import { startLrs, statement, type LrsHarness } from '../lrs/lrs-server.ts';

// The configuration API (CRUD, validation with the offending field, preview, CSV download, account isolation)
// and the same through the CLI (`lmc xapi-export`), on statements sent with @xapi/xapi.

let h: LrsHarness;
let slug: string;
let sent: Date;

const lmc = (...args: string[]) => runLmc(h.ctx, [...args, '--account', slug]);

beforeAll(async () => {
  h = await startLrs();
  slug = (await lrsAccount(h)).slug;
  sent = new Date(Date.now() - 1000);
  await h.xapi().sendStatements({
    statements: [
      statement({ result: { score: { scaled: 0.5 } } }),
      statement({ actor: { mbox: 'mailto:bo@example.com' }, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }),
    ] as never,
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const COLUMNS = [
  { path: 'actor.mbox', column: 'Learner', type: 'string' },
  { path: 'verb.display.en-US', column: 'Verb', type: 'string' },
  { path: 'result.score.scaled', column: 'Score', type: 'number' },
  { path: 'stored', column: 'Stored', type: 'date' },
];

describe('xAPI export API', () => {
  it('creates, lists, updates, previews, downloads and deletes a configuration', async () => {
    const api = apiClient(h.app, h.token);
    const created = await api.post('/api/v1/xapi-export/configurations', { name: 'Scores', columns: COLUMNS });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.data.id as number;
    expect(created.data.columns).toEqual(COLUMNS);
    expect((await api.get('/api/v1/xapi-export/configurations')).data.map((c: { name: string }) => c.name)).toEqual(['Scores']);
    expect((await api.post('/api/v1/xapi-export/configurations', { name: 'scores', columns: COLUMNS })).data.error.code).toBe('LMC_ERR_XAPI_EXPORT_NAME_TAKEN');

    const bad = await api.put(`/api/v1/xapi-export/configurations/${id}`, { name: 'Scores', columns: [...COLUMNS, { path: 'context.http://x', column: 'X', type: 'string' }] });
    expect([bad.statusCode, bad.data.error.code, bad.data.error.field]).toEqual([400, 'LMC_ERR_XAPI_EXPORT_BAD_PATH', 'columns.4.path']);
    const badType = await api.post('/api/v1/xapi-export/configurations', { name: 'T', columns: [{ path: 'id', column: 'id', type: 'integer' }] });
    expect(badType.statusCode).toBe(400);

    const updated = await api.put(`/api/v1/xapi-export/configurations/${id}`, { name: 'Scores v2', columns: COLUMNS.slice(0, 3) });
    expect([updated.statusCode, updated.data.name, updated.data.columns.length]).toEqual([200, 'Scores v2', 3]);

    const preview = await api.post('/api/v1/xapi-export/preview', { configurationId: id, limit: 1 });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.data).toEqual({ columns: ['Learner', 'Verb', 'Score'], rows: [['mailto:ada@example.com', 'completed', '0.5']] });
    const unsaved = await api.post('/api/v1/xapi-export/preview', { columns: [{ path: 'verb.id', column: 'v' }, { path: 'result.score.scaled', column: 's', type: 'number' }] });
    expect(unsaved.data.rows).toEqual([['http://adlnet.gov/expapi/verbs/completed', '0.5'], ['http://adlnet.gov/expapi/verbs/failed', 'N/A']]);

    const csv = await api.get(`/api/v1/xapi-export/configurations/${id}/csv?from=${sent.toISOString()}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="xapi_statements_\d{8}T\d{6}Z_to_\d{8}T\d{6}Z\.csv"$/);
    expect(parse(csv.body)).toEqual([['Learner', 'Verb', 'Score'], ['mailto:ada@example.com', 'completed', '0.5'], ['mailto:bo@example.com', 'N/A', 'N/A']]);
    const empty = await api.get(`/api/v1/xapi-export/configurations/${id}/csv?to=${sent.toISOString()}`);
    expect(empty.body).toBe('Learner,Verb,Score\n');
    const backwards = await api.get(`/api/v1/xapi-export/configurations/${id}/csv?from=2026-03-02&to=2026-03-01`);
    expect(backwards.data.error.code).toBe('LMC_ERR_XAPI_EXPORT_BAD_RANGE');

    // Another account sees none of it.
    const other = apiClient(h.app, (await createAccountWithToken(h.ctx, { email: 'x@other.test' })).token);
    expect((await other.get(`/api/v1/xapi-export/configurations/${id}`)).statusCode).toBe(404);
    expect((await other.get(`/api/v1/xapi-export/configurations/${id}/csv`)).statusCode).toBe(404);
    expect((await other.get('/api/v1/xapi-export/configurations')).data).toEqual([]);
    expect((await other.post('/api/v1/xapi-export/preview', { columns: COLUMNS })).data.rows).toEqual([]);

    expect((await api.delete(`/api/v1/xapi-export/configurations/${id}`)).statusCode).toBe(204);
    expect((await api.delete(`/api/v1/xapi-export/configurations/${id}`)).statusCode).toBe(404);
  });

  it('needs the integration_admin role', async () => {
    const learner = apiClient(h.app, (await createAccountWithToken(h.ctx, { roles: ['learner'], email: 'l@acme.test' })).token);
    expect((await learner.get('/api/v1/xapi-export/configurations')).statusCode).toBe(403);
  });
});

describe('lmc xapi-export', () => {
  it('creates, shows, previews, writes the CSV, updates and deletes', async () => {
    const c = await lmc('xapi-export', 'create', '--name', 'CLI', '--col', 'learner=actor.mbox', '--col', 'score:number=result.score.scaled', '--col', 'ext=context.extensions["http://example.com/a=b"]', '--json');
    expect(c.code, c.err).toBe(0);
    const cfg = JSON.parse(c.out) as { id: number; columns: unknown[] };
    expect(cfg.columns).toEqual([
      { column: 'learner', type: 'string', path: 'actor.mbox' },
      { column: 'score', type: 'number', path: 'result.score.scaled' },
      { column: 'ext', type: 'string', path: 'context.extensions["http://example.com/a=b"]' },
    ]);
    const show = await lmc('xapi-export', 'show', String(cfg.id));
    expect(show.out).toContain('configuration');
    expect(show.out).toContain('result.score.scaled');
    const preview = await lmc('xapi-export', 'preview', String(cfg.id), '--json');
    expect(JSON.parse(preview.out).rows).toEqual([['mailto:ada@example.com', '0.5', 'N/A'], ['mailto:bo@example.com', 'N/A', 'N/A']]);
    const out = path.join(h.ctx.config.dataDir, 'cli-export.csv');
    await fs.mkdir(h.ctx.config.dataDir, { recursive: true });
    const csv = await lmc('xapi-export', 'csv', String(cfg.id), '--from', sent.toISOString(), '--out', out);
    expect(csv.err).toBe(`2 rows written to ${out}\n`);
    expect(await fs.readFile(out, 'utf8')).toBe('learner,score,ext\nmailto:ada@example.com,0.5,N/A\nmailto:bo@example.com,N/A,N/A\n');
    const bad = await lmc('xapi-export', 'update', String(cfg.id), '--col', 'x=a..b');
    expect([bad.code, bad.err]).toEqual([1, expect.stringContaining('LMC_ERR_XAPI_EXPORT_BAD_PATH')]);
    const renamed = await lmc('xapi-export', 'update', String(cfg.id), '--name', 'CLI 2');
    expect(renamed.out).toContain('CLI 2');

    // The action from the CLI, as docs/xapi-export.md shows it: options, then an on-demand run (a worker runs it).
    // The account's own <data dir>/drops/<account id> is the folder a local directory may always use.
    const account = (await apiClient(h.app, h.token).get('/api/v1/me')).data;
    const dropDir = path.join(h.ctx.config.dataDir, 'drops', String(account.accountId), 'cli');
    const created = await apiClient(h.app, h.token).post('/api/v1/connections', { connectorId: 'local-directory', name: 'CLI drop', settings: { root: dropDir } });
    expect(created.statusCode, created.body).toBe(201);
    const conn = created.data.id as number;
    const opts = await lmc('connections', 'options', String(conn), 'export-xapi', '--set-json', JSON.stringify({ configurationId: cfg.id, location: 'cli' }));
    expect(opts.code, opts.err).toBe(0);
    const worker = await startWorker(h.ctx, { timings: engineTimings() });
    try {
      const run = await lmc('run', String(conn), 'export-xapi', '--since', sent.toISOString(), '--wait');
      expect(run.out, run.err).toMatch(/^run \d+ completed; counts \{"read":2,"created":2,/);
    } finally {
      await worker.stop();
    }
    const [file] = await fs.readdir(path.join(dropDir, 'export', 'cli'));
    expect(await fs.readFile(path.join(dropDir, 'export', 'cli', file), 'utf8')).toBe('learner,score,ext\nmailto:ada@example.com,0.5,N/A\nmailto:bo@example.com,N/A,N/A\n');

    expect((await lmc('xapi-export', 'delete', String(cfg.id))).out).toBe(`configuration ${cfg.id} deleted\n`);
    expect((await lmc('xapi-export', 'list')).out).toBe('(none)\n');
  }, 180_000); // ten CLI processes, each starting tsx: 25-30 s alone, over 60 s in a full run on a busy 2-core machine
});
