import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { createApiToken } from '../../src/platform/api-tokens.ts';
import { apiClient, buildApi } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildGoldenAccount } from './golden-account.ts';

const golden = (name: string) => fs.readFile(path.join(import.meta.dirname, 'golden', `${name}.csv`), 'utf8');

let ctx: TestContext;
let app: Api;
let token: string;
let learnerToken: string;
beforeAll(async () => {
  ctx = await createTestContext();
  const { accountId } = await buildGoldenAccount(ctx);
  app = await buildApi(ctx);
  token = (await createApiToken(ctx.db, { accountId, userId: 1, name: 'reports' })).token; // Ana: integration admin
  learnerToken = (await createApiToken(ctx.db, { accountId, userId: 2, name: 'learner' })).token; // Bo: learner only
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

function lmc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/lmc.js', ...args], { env: { ...process.env, DATABASE_URL: ctx.dbUrl, LMC_DATA_DIR: ctx.config.dataDir }, timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('reports API', () => {
  it('lists the reports with their schema versions', async () => {
    const r = await apiClient(app, token).get('/api/v1/reports');
    expect(r.statusCode).toBe(200);
    expect(r.data.map((x: { id: string }) => x.id)).toEqual(['users', 'learner-transcript', 'user-skills', 'trainings', 'feedback', 'gamification', 'unified']);
    expect(r.data.every((x: { schemaVersion: number }) => x.schemaVersion >= 1)).toBe(true);
  });

  it('streams a report as CSV with the range and status filter', async () => {
    const r = await apiClient(app, token).get('/api/v1/reports/learner-transcript?from=2026-03-01&to=2026-04-01T00:00:00Z&status=completed');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="learner-transcript_20260301T000000Z_to_20260401T000000Z.csv"');
    expect(r.body).toBe(await golden('learner-transcript-completed'));
  });

  it('streams over a real socket, and survives a client that goes away mid-download', async () => {
    const { buildBulkAccount } = await import('./bulk-account.ts');
    const bulk = await buildBulkAccount(ctx, { users: 400, perUser: 50, slug: 'bulk-api' });
    const bulkToken = (await createApiToken(ctx.db, { accountId: bulk.accountId, userId: (await ctx.db.selectFrom('users').select('id').where('account_id', '=', bulk.accountId).orderBy('id').executeTakeFirstOrThrow()).id, name: 'x' })).token;
    const server = await buildApi(ctx);
    await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
      const ok = await fetch(`${base}/api/v1/reports/user-skills?from=2026-03-01&to=2026-04-01`, { headers: { authorization: `Bearer ${token}` } });
      expect(await ok.text()).toBe(await golden('user-skills'));
      // The bulk account's users are learners: give the token's user the admin role for this call.
      await ctx.db.updateTable('users').set({ roles: ['learner', 'admin'] }).where('account_id', '=', bulk.accountId).execute();
      for (let i = 0; i < 3; i++) {
        const ac = new AbortController();
        const res = await fetch(`${base}/api/v1/reports/learner-transcript`, { headers: { authorization: `Bearer ${bulkToken}` }, signal: ac.signal });
        const reader = res.body!.getReader();
        await reader.read();
        ac.abort();
      }
      // Connections of the aborted COPYs were dropped, not reused mid-COPY: later reports still work.
      const after = await fetch(`${base}/api/v1/reports/users?`, { headers: { authorization: `Bearer ${token}` } });
      expect(await after.text()).toBe(await golden('users'));
    } finally {
      // No pooled connection stays checked out (polled: the aborted clients are released asynchronously).
      for (let i = 0; i < 100 && ctx.pool.idleCount !== ctx.pool.totalCount; i++) await new Promise((r) => setTimeout(r, 50));
      expect(ctx.pool.totalCount - ctx.pool.idleCount).toBe(0);
      // undici may keep the aborted sockets half-open on its side; do not wait for them.
      server.server.closeAllConnections();
      await server.close();
    }
  });

  it('combines chosen reports in the unified report', async () => {
    const r = await apiClient(app, token).get('/api/v1/reports/unified?from=2026-03-01&to=2026-04-01&status=completed&include=learner-transcript,trainings');
    expect(r.body).toBe(await golden('unified-transcript-trainings'));
  });

  it('answers coded errors for a bad report, status, range or role', async () => {
    const c = apiClient(app, token);
    expect((await c.get('/api/v1/reports/nope')).data.error.code).toBe('LMC_ERR_COMMON_VALIDATION');
    expect((await c.get('/api/v1/reports/learner-transcript?status=done')).data.error.field).toBe('querystring.status');
    const range = await c.get('/api/v1/reports/users?from=2026-04-01&to=2026-03-01');
    expect([range.statusCode, range.data.error.code]).toEqual([400, 'LMC_ERR_REPORT_BAD_RANGE']);
    const unified = await c.get('/api/v1/reports/unified?include=unified');
    expect(unified.data.error.code).toBe('LMC_ERR_REPORT_BAD_SELECTION');
    const learner = await apiClient(app, learnerToken).get('/api/v1/reports/users');
    expect([learner.statusCode, learner.data.error.code]).toEqual([403, 'LMC_ERR_COMMON_FORBIDDEN']);
  });
});

describe('lmc report', () => {
  it('writes a report to a file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-report-'));
    const out = path.join(dir, 'lt.csv');
    const r = await lmc(['report', 'learner-transcript', '--account', 'golden', '--from', '2026-03-01', '--to', '2026-04-01', '--status', 'completed', '--out', out]);
    expect(r.stderr).toContain('2 rows written');
    expect(r.code).toBe(0);
    expect(await fs.readFile(out, 'utf8')).toBe(await golden('learner-transcript-completed'));
    expect(await fs.readdir(dir)).toEqual(['lt.csv']);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('prints to stdout, lists reports, and fails with a code for a bad status', async () => {
    const skills = await lmc(['report', 'user-skills', '--account', 'golden', '--from', '2026-03-01', '--to', '2026-04-01']);
    expect(skills.stdout).toBe(await golden('user-skills'));
    const list = await lmc(['--json', 'report', 'list']);
    expect(JSON.parse(list.stdout).map((x: { id: string }) => x.id)).toContain('unified');
    const bad = await lmc(['report', 'learner-transcript', '--account', 'golden', '--status', 'done']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('LMC_ERR_REPORT_BAD_STATUS');
  });
});
