import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../helpers/api.ts';
import { startLrs, statement, type LrsHarness } from './lrs-server.ts';

// The xAPI version of an LRS key: what a request naming no version is answered with (XAPI-00331 of ADL's
// conformance suites: the 1.0.3 suite expects 1.0.3 there, the 2.0 suite 2.0.0).
let h: LrsHarness;
beforeAll(async () => {
  h = await startLrs();
});
afterAll(async () => {
  await h?.close();
});

const basic = (k: { key: string; secret: string }) => 'Basic ' + Buffer.from(`${k.key}:${k.secret}`).toString('base64');
const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

/** GET, POST and PUT of statements without X-Experience-API-Version: status and reported version of each. */
async function unversioned(auth: string) {
  const answers = [
    await h.raw(`/statements?statementId=${crypto.randomUUID()}`, { auth, version: null }),
    await h.raw('/statements', { auth, version: null, ...json('POST', statement()) }),
    await h.raw(`/statements?statementId=${crypto.randomUUID()}`, { auth, version: null, ...json('PUT', statement()) }),
    await h.raw('/activities/state?stateId=s&activityId=http://example.com/a&agent=' + encodeURIComponent(JSON.stringify({ mbox: 'mailto:ada@example.com' })), { auth, version: null }),
  ];
  return answers.map((r) => `${r.status} ${r.headers.get('x-experience-api-version')}`);
}

describe('the xAPI version of an LRS key', () => {
  it('a key set to 1.0.3 answers requests without a version header as a 1.0.3 LRS; a 2.0.0 key keeps 2.0.0', async () => {
    const api = apiClient(h.app, h.token);
    const old = await api.post('/api/v1/lrs-credentials', { name: 'SCORM-era player', scopes: ['read', 'write'], version: '1.0.3' });
    expect(old.statusCode).toBe(201);
    expect(old.data).toMatchObject({ name: 'SCORM-era player', version: '1.0.3' });
    const auth103 = basic(old.data);
    expect(await unversioned(auth103)).toEqual(['400 1.0.3', '400 1.0.3', '400 1.0.3', '400 1.0.3']);
    // an unknown version is refused the same way
    const bad = await h.raw('/statements', { auth: auth103, version: '3.0.0' });
    expect([bad.status, bad.headers.get('x-experience-api-version')]).toEqual([400, '1.0.3']);
    // a request that names its version is answered in it, whatever the key says
    const as2 = await h.raw('/statements', { auth: auth103, version: '2.0.0' });
    expect([as2.status, as2.headers.get('x-experience-api-version')]).toEqual([200, '2.0.0']);
    const as1 = await h.raw('/statements', { auth: auth103, version: '1.0.3' });
    expect([as1.status, as1.headers.get('x-experience-api-version')]).toEqual([200, '1.0.3']);

    // the harness key was created without a version: 2.0.0, today's behaviour
    expect(await unversioned(basic(h))).toEqual(['400 2.0.0', '400 2.0.0', '400 2.0.0', '400 2.0.0']);
    const explicit2 = await api.post('/api/v1/lrs-credentials', { name: 'new player', version: '2.0.0' });
    expect(await unversioned(basic(explicit2.data))).toEqual(['400 2.0.0', '400 2.0.0', '400 2.0.0', '400 2.0.0']);
    // without credentials the key is unknown: the newest version
    const anon = await h.raw('/statements', { auth: null, version: null });
    expect([anon.status, anon.headers.get('x-experience-api-version')]).toEqual([401, '2.0.0']);

    const list = (await api.get('/api/v1/lrs-credentials')).data as Array<{ name: string; version: string }>;
    expect(list.map((k) => `${k.name}: ${k.version}`)).toEqual(['tests: 2.0.0', 'SCORM-era player: 1.0.3', 'new player: 2.0.0']);
  });

  it('refuses an unknown version with a 400 naming the field', async () => {
    const r = await apiClient(h.app, h.token).post('/api/v1/lrs-credentials', { name: 'x', version: '1.0.2' });
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.data)).toMatch(/version/);
  });

  it('lmc lrs key create --version 1.0.3 creates a 1.0.3 key; list shows it; an unknown version is refused', async () => {
    const lmc = (...args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile('node', ['bin/lmc.js', ...args], { env: { ...process.env, DATABASE_URL: h.ctx.dbUrl, LMC_DATA_DIR: h.ctx.config.dataDir, LMC_LOG_LEVEL: 'silent' }, timeout: 60_000 }, (e, out, err) =>
          e ? reject(new Error(err || e.message)) : resolve(out),
        ),
      );
    const account = String((await h.ctx.db.selectFrom('lrs_credentials').select('account_id').executeTakeFirstOrThrow()).account_id);
    const human = await lmc('lrs', 'key', 'create', '--name', 'cli 1.0.3', '--version', '1.0.3', '--account', account);
    expect(human).toMatch(/version: xAPI 1\.0\.3/);
    const created = { key: /key: +(\S+)/.exec(human)![1], secret: /secret: +(\S+)/.exec(human)![1] };
    expect(await unversioned(basic(created))).toEqual(['400 1.0.3', '400 1.0.3', '400 1.0.3', '400 1.0.3']);
    const asJson = JSON.parse(await lmc('--json', 'lrs', 'key', 'create', '--name', 'cli default', '--account', account));
    expect(asJson.version).toBe('2.0.0');
    const listed = JSON.parse(await lmc('--json', 'lrs', 'key', 'list', '--account', account)) as Array<{ name: string; version: string }>;
    expect(listed.find((k) => k.name === 'cli 1.0.3')?.version).toBe('1.0.3');
    await expect(lmc('lrs', 'key', 'create', '--version', '1.0', '--account', account)).rejects.toThrow(/LMC_ERR_COMMON_VALIDATION.*version/s);
  });
});
