import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import unzipper from 'unzipper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSftpServer } from '../../src/sftp-server/server.ts';
import { runSftp, tempDir } from '../file-drops/helpers/openssh.ts';
import { apiClient } from '../helpers/api.ts';
import { connectHostedFtp, runThroughApi, startLrsWithHostedSftp, type LrsWithHostedSftp } from '../xapi-import/helpers.ts';
import { statement, type LrsHarness } from '../lrs/lrs-server.ts';

// "Export xAPI" on the hosted FTP (Learning Manager FTP), configured and started through the API; the zipped
// file is fetched with OpenSSH's sftp and compared.

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

describe('Export xAPI to the hosted FTP', () => {
  it('writes the zipped, dated CSV that an SFTP client fetches', async () => {
    const api = apiClient(h.app, h.token);
    const since = new Date(Date.now() - 1000);
    await h.xapi('1.0.3').sendStatements({
      statements: [
        statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed', de: 'bestanden' } }, result: { success: true } }),
        statement({ actor: { mbox: 'mailto:zoe@example.com' }, result: { success: false, completion: true } }),
      ] as never,
    });
    const config = await api.post('/api/v1/xapi-export/configurations', {
      name: 'FTP export',
      columns: [
        { path: 'actor.mbox', column: 'email' },
        { path: 'verb.display.de', column: 'Verb (de)' },
        { path: 'result.success', column: 'passed', type: 'boolean' },
      ],
    });
    expect(config.statusCode, config.body).toBe(201);
    const id = await connectHostedFtp(h, accountId, PASSWORD);
    const saved = await api.put(`/api/v1/connections/${id}/actions/export-xapi/settings`, { options: { configurationId: config.data.id, zip: true, location: 'activity' } });
    expect(saved.statusCode, saved.body).toBe(200);
    const run = await runThroughApi(h, accountId, { connectionId: id, actionId: 'export-xapi', since: since.toISOString() });
    expect([run.status, run.counts.read]).toEqual(['completed', 2]);

    const listed = await api.get(`/api/v1/connections/${id}/exports`);
    expect(listed.data).toHaveLength(1);
    const file = path.basename(listed.data[0].path as string);
    expect(file).toMatch(/^xapi_statements_\d{8}T\d{6}Z_to_\d{8}T\d{6}Z\.csv\.zip$/);

    const work = await tempDir();
    const r = await runSftp({ port: sftp.port, user: slug, password: PASSWORD, cwd: work, commands: ['cd /Home/export/activity', `get ${file}`] });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const zip = await unzipper.Open.file(path.join(work, file));
    const rows = parse((await zip.files[0].buffer()).toString('utf8')) as string[][];
    expect(rows).toEqual([['email', 'Verb (de)', 'passed'], ['mailto:ada@example.com', 'bestanden', 'true'], ['mailto:zoe@example.com', 'N/A', 'false']]);
    await fs.rm(work, { recursive: true, force: true });
  });
});
