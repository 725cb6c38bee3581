import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { createApiToken } from '../../src/platform/api-tokens.ts';
import { apiClient, buildApi } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildGoldenAccount } from './golden-account.ts';

// Issue 19, point 4: one strict date reader (src/shared/dates.ts) for the API and the CLI. Offset-less input is
// UTC whatever the caller's TZ; impossible dates and garbage are refused with a code naming the field.

let ctx: TestContext;
let app: Api;
let token: string;
let conn: number;
let dir: string;
beforeAll(async () => {
  ctx = await createTestContext();
  const { accountId } = await buildGoldenAccount(ctx);
  app = await buildApi(ctx);
  token = (await createApiToken(ctx.db, { accountId, userId: 1, name: 'dates' })).token; // Ana: integration admin
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-dates-'));
  conn = (await createConnection(ctx, { accountId, userId: 1 }, { connectorId: 'local-directory', name: 'Dates drop', settings: { root: dir } })).id;
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

function lmc(args: string[], tz = 'UTC'): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/lmc.js', ...args], { env: { ...process.env, TZ: tz, DATABASE_URL: ctx.dbUrl, LMC_DATA_DIR: ctx.config.dataDir, LMC_LOG_LEVEL: 'silent' }, timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const noStack = (s: string) => {
  expect(s).not.toMatch(/^\s+at /m);
  expect(s).not.toMatch(/node:internal|\.ts:\d+/);
};

describe('strict dates in the CLI', () => {
  it('a date-time without an offset is UTC: TZ=Asia/Kolkata gives the same rows as TZ=UTC', async () => {
    // Golden achievements at 2026-03-01T00:00Z and 2026-03-05T10:30Z are inside [03-01T00:00, 03-05T12:00) UTC;
    // read in Kolkata (UTC+5:30) the window would end at 06:30Z and lose the second one.
    const args = ['report', 'user-skills', '--account', 'golden', '--from', '2026-03-01T00:00', '--to', '2026-03-05T12:00'];
    const [utc, kolkata, explicit] = await Promise.all([lmc(args), lmc(args, 'Asia/Kolkata'), lmc(['report', 'user-skills', '--account', 'golden', '--from', '2026-03-01T00:00:00Z', '--to', '2026-03-05T12:00:00Z'], 'Asia/Kolkata')]);
    expect([utc.code, kolkata.code, explicit.code], utc.stderr + kolkata.stderr).toEqual([0, 0, 0]);
    expect(utc.stdout.match(/golden\.test/g)).toHaveLength(2);
    expect(kolkata.stdout).toBe(utc.stdout);
    expect(explicit.stdout).toBe(utc.stdout);
  }, 120_000);

  it('impossible dates and garbage are clear errors naming the option, no PostgreSQL error, no stack', async () => {
    const [feb30, garbage, hour25] = await Promise.all([
      lmc(['run', String(conn), 'export-user-skills', '--account', 'golden', '--since', '2026-02-30']),
      lmc(['run', String(conn), 'export-user-skills', '--account', 'golden', '--since', 'garbage']),
      lmc(['report', 'user-skills', '--account', 'golden', '--from', '2026-03-01T25:00']),
    ]);
    expect(feb30.code).toBeGreaterThan(0);
    expect(feb30.stderr).toMatch(/^error LMC_ERR_DATE_INVALID: not a valid date: since: "2026-02-30" does not exist on the calendar/m);
    expect(garbage.code).toBeGreaterThan(0);
    expect(garbage.stderr).toMatch(/^error LMC_ERR_DATE_INVALID: not a valid date: since: "garbage" is not an ISO 8601 date .*without an offset the time is UTC/m);
    expect(hour25.code).toBeGreaterThan(0);
    expect(hour25.stderr).toMatch(/^error LMC_ERR_REPORT_BAD_RANGE: .*from: "2026-03-01T25:00" does not exist on the calendar/m);
    for (const r of [feb30, garbage, hour25]) noStack(r.stderr);
    expect(await ctx.db.selectFrom('runs').select('id').where('connection_id', '=', conn).execute()).toEqual([]);
  }, 120_000);

  it('the help says the rule for offset-less input', async () => {
    const help = await lmc(['run', '--help']);
    expect(help.stdout.replace(/\s+/g, " ")).toMatch(/without an offset, UTC/);
  }, 60_000);
});

describe('strict dates in the API', () => {
  it('query strings: impossible dates and garbage are 400 naming the field, never "expected date, received Date"', async () => {
    const api = apiClient(app, token);
    for (const [q, field] of [['from=2026-02-30', 'from'], ['to=garbage', 'to']] as const) {
      const r = await api.get(`/api/v1/reports/user-skills?${q}`);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.body).toContain(field);
      expect(r.body).not.toMatch(/received Date/);
      expect(r.body).toMatch(/does not exist on the calendar|is not an ISO 8601 date/);
    }
    // Offset-less is UTC here too: the same two rows as in the CLI.
    const ok = await api.get('/api/v1/reports/user-skills?from=2026-03-01T00:00&to=2026-03-05T12:00');
    expect(ok.statusCode).toBe(200);
    expect(ok.body.match(/golden\.test/g)).toHaveLength(2);
  });

  it('run bodies: since 2026-02-30 is refused, not rolled over to March', async () => {
    const r = await apiClient(app, token).post('/api/v1/runs', { connectionId: conn, actionId: 'export-user-skills', since: '2026-02-30' });
    expect(r.statusCode, JSON.stringify(r.data)).toBe(400);
    expect(JSON.stringify(r.data)).toMatch(/since/);
    expect(JSON.stringify(r.data)).toMatch(/does not exist on the calendar/);
  });
});
