import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { historyKeyOf } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { executeRun } from '../../src/engine/executor.ts';
import { getRun, inTransaction, insertQueuedRun } from '../../src/engine/runs.ts';
import { createResetToken, resetHostedPassword } from '../../src/kit/file-sources/hosted-drop.ts';
import { createApiToken } from '../../src/platform/api-tokens.ts';
import { startSftpServer, type RunningSftpServer } from '../../src/sftp-server/server.ts';
import { runSftp, tempDir } from '../file-drops/helpers/openssh.ts';
import { apiClient, buildApi } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildGoldenAccount } from './golden-account.ts';

// The "done when": an admin schedules a daily skills export on the hosted FTP through the API, and the
// dated files are fetched with the OpenSSH sftp client. The scheduler's slots are played by inserting the
// runs it would make (trigger 'schedule') and executing them as the worker does.

let ctx: TestContext;
let app: Api;
let sftp: RunningSftpServer;
let accountId: number;
const PASSWORD = 'a long enough sftp password';

beforeAll(async () => {
  ctx = await createTestContext();
  ({ accountId } = await buildGoldenAccount(ctx));
  app = await buildApi(ctx);
  sftp = await startSftpServer({ db: ctx.db, dataDir: ctx.config.dataDir, log: ctx.log, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await sftp?.stop();
  await app?.close();
  await ctx?.destroy();
  await fs.rm(ctx.config.dataDir, { recursive: true, force: true });
});

describe('daily skills export to the hosted FTP', () => {
  it('is configured through the API and its dated files are fetched with sftp', async () => {
    const admin = apiClient(app, (await createApiToken(ctx.db, { accountId, userId: 1, name: 'admin' })).token);
    const conn = await admin.post('/api/v1/connections', { connectorId: 'ftp', name: 'Learning Manager FTP', settings: { email: 'ops@golden.test' } });
    expect(conn.statusCode, conn.body).toBe(201);
    const id = conn.data.id as number;
    const { token } = await createResetToken(ctx.db, accountId);
    await resetHostedPassword(ctx.db, token, PASSWORD);
    const settings = await admin.put(`/api/v1/connections/${id}/actions/export-user-skills/settings`, { options: { location: 'skills' } });
    expect(settings.statusCode, settings.body).toBe(200);
    const schedule = await admin.put(`/api/v1/connections/${id}/actions/export-user-skills/schedule`, { startLocal: '2026-03-01T00:00', timeZone: 'UTC', every: 1, unit: 'days' });
    expect(schedule.statusCode, schedule.body).toBe(200);

    // Two daily slots, the first one starting at the schedule's start.
    for (const [since, slot] of [['2026-03-04T00:00:00Z', '2026-03-05T00:00:00Z'], [null, '2026-03-06T00:00:00Z']] as const) {
      const runId = await inTransaction(ctx, (c) =>
        insertQueuedRun(ctx, c, {
          account_id: accountId, connection_id: id, history_key: historyKeyOf('ftp', 'Learning Manager FTP'), connector_id: 'ftp', action_id: 'export-user-skills',
          type: 'export', trigger: 'schedule', started_by: null, slot_at: new Date(slot), window_since: since ? new Date(since) : null, window_until: new Date(slot),
          options: { location: 'skills' }, dry_run: false, disable_access: false, rerun_of: null,
        }),
      );
      await executeRun(ctx, runId!, { workerId: 'test', timings: engineTimings() });
      expect((await getRun(ctx, accountId, runId!)).status).toBe('completed');
    }

    const listed = await admin.get(`/api/v1/connections/${id}/exports`);
    expect(listed.data.map((f: { path: string }) => f.path).sort()).toEqual([
      'export/skills/skill_achievements_20260304T000000Z_to_20260305T000000Z.csv',
      'export/skills/skill_achievements_20260305T000000Z_to_20260306T000000Z.csv',
    ]);

    const work = await tempDir();
    const r = await runSftp({
      port: sftp.port,
      user: 'golden',
      password: PASSWORD,
      cwd: work,
      commands: ['cd /Home/export/skills', 'ls', 'get skill_achievements_20260305T000000Z_to_20260306T000000Z.csv'],
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('skill_achievements_20260304T000000Z_to_20260305T000000Z.csv');
    const got = await fs.readFile(path.join(work, 'skill_achievements_20260305T000000Z_to_20260306T000000Z.csv'), 'utf8');
    // Ana's Safety level 1 on 5 March 10:30 is the only achievement of that day.
    expect(got.split('\n')[1]).toMatch(/^1,Ana Müller,ana@golden\.test,.*,Safety,1,Basic,2,10,2026-03-05T10:30:00Z,course:1001,Safety 101$/);
    expect(got.trimEnd().split('\n')).toHaveLength(2);
    await fs.rm(work, { recursive: true, force: true });
  });
});
