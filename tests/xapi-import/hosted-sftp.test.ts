import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSftpServer } from '../../src/sftp-server/server.ts';
import { runSftp, tempDir } from '../file-drops/helpers/openssh.ts';
import { apiClient } from '../helpers/api.ts';
import { connectHostedFtp, runThroughApi, startLrsWithHostedSftp, type LrsWithHostedSftp } from './helpers.ts';
import type { LrsHarness } from '../lrs/lrs-server.ts';
import { csvText, MAPPINGS } from './fixtures.ts';

// "Import xAPI" on the hosted FTP (Learning Manager FTP): the CSV is uploaded with OpenSSH's sftp to
// Home/import/xapi/, the configuration made and the run started through the API; the statements are read back
// over HTTP with @xapi/xapi, and the file is gone from the drop.

let env: LrsWithHostedSftp;
let h: LrsHarness;
let sftp: RunningSftpServer;
let accountId: number;
let slug: string;
const PASSWORD = 'a long enough sftp password';

beforeAll(async () => {
  env = await startLrsWithHostedSftp();
  ({ h, sftp, accountId, slug } = env);
}, 60_000);
afterAll(async () => {
  await env?.stop();
});

describe('Import xAPI from the hosted FTP', () => {
  it('imports a CSV put with an SFTP client into statements, then deletes it', async () => {
    const api = apiClient(h.app, h.token);
    const id = await connectHostedFtp(h, accountId, PASSWORD);

    const work = await tempDir();
    // rows 200..219 of the generated file: no filters, every row valid, so every row becomes a statement
    await fs.writeFile(path.join(work, 'xapi_activity.csv'), csvText(200, 220));
    const put = await runSftp({ port: sftp.port, user: slug, password: PASSWORD, cwd: work, commands: ['cd /Home/import/xapi', 'put xapi_activity.csv'] });
    expect([put.code, put.stderr]).toEqual([0, '']);

    const cols = await api.get(`/api/v1/connections/${id}/xapi-import/columns`);
    expect(cols.data.files).toEqual([expect.objectContaining({ name: 'xapi_activity.csv' })]);
    const config = await api.post(`/api/v1/connections/${id}/xapi-import/configurations`, { name: 'FTP activity', sourceFileName: 'xapi_activity.csv', dateFormat: 'MM/dd/yyyy HH:mm', mappings: MAPPINGS });
    expect(config.statusCode, config.body).toBe(201);

    const run = await runThroughApi(h, accountId, { connectionId: id, actionId: 'import-xapi' });
    expect([run.status, run.counts.read, run.counts.created, run.counts.rejected]).toEqual(['completed', 20, 20, 0]);

    const got = await h.xapi('1.0.3').getStatements({ activity: 'http://example.com/activities/a3', limit: 50 });
    const statements = (got.data as { statements: Array<{ actor: { mbox: string }; result: { score: { scaled: number } } }> }).statements;
    expect(statements.map((s) => [s.actor.mbox, s.result.score.scaled])).toEqual([['mailto:user203@example.com', 0.03]]);

    const ls = await runSftp({ port: sftp.port, user: slug, password: PASSWORD, cwd: work, commands: ['cd /Home/import/xapi', 'ls'] });
    expect(ls.code).toBe(0);
    expect(ls.stdout).not.toContain('xapi_activity.csv');
    await fs.rm(work, { recursive: true, force: true });
  }, 60_000);
});
