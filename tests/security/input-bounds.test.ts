import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import type { Api } from '../../src/api/types.ts';
import { importCsv, memFiles, newAccount, usersOf } from '../user-import/helpers.ts';

let ctx: TestContext;
let app: Api;
let token: string;
beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  ({ token } = await createAccountWithToken(ctx));
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

/** A 4xx in the product's error shape, never a 500. */
function expect400(r: { statusCode: number; data: any; body: string }, code = 'LMC_ERR_COMMON_VALIDATION') {
  expect(r.statusCode, r.body).toBe(400);
  expect(r.data?.error?.code, r.body).toBe(code);
  expect(r.data.error.message).toMatch(/\S/);
}

describe('hostile inputs get a 400 with a code (issue 13, point 8)', () => {
  it('NUL characters in JSON strings', async () => {
    const c = apiClient(app, token);
    const r = await c.post('/api/v1/groups', { name: 'Sales\u0000Team' });
    expect400(r);
    expect(r.data.error.field).toBe('body.name');
    expect(r.data.error.message).toMatch(/NUL/);
    // deep inside an object, and in a key
    expect400(await c.post('/api/v1/users', { email: 'a@acme.test', name: 'A', profile: { city: 'x\u0000' } }));
    expect400(await c.post('/api/v1/users', { email: 'b@acme.test', name: 'B', profile: { ['ci\u0000ty']: 'x' } }));
    // a literal backslash-u text is not a NUL: it is stored as typed
    const ok = await c.post('/api/v1/groups', { name: 'back\\u0000slash' });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('%00 in paths and queries', async () => {
    const c = apiClient(app, token);
    expect400(await c.get('/api/v1/users/a%00b'));
    expect400(await c.get('/api/v1/users?search=ab%00'));
    expect400(await c.get('/api/v1/connections?connectorId=%00'));
    expect400(await c.get('/api/v1/users?sea%00rch=x'));
    const q = await c.get('/api/v1/users?search=ab%00');
    expect(q.data.error.field).toBe('querystring.search');
    // the router's own refusals speak the same format
    expect400(await c.get('/api/v1/users/%E0%A4%A'));
    const long = await c.get(`/api/v1/users/${'a'.repeat(600)}@acme.test`);
    expect(long.statusCode).toBeLessThan(500);
    expect(long.data.error.code).toMatch(/^LMC_ERR_/);
  });

  it('ids beyond bigint (and beyond what JavaScript counts exactly)', async () => {
    const c = apiClient(app, token);
    for (const id of ['99999999999999999999', '9223372036854775808', '9007199254740993', '1e400']) {
      expect400(await c.get(`/api/v1/runs/${id}`));
      expect400(await c.get(`/api/v1/connections/${id}`));
      // a user is named by id or e-mail: a run of digits beyond bigint is a bad id
      if (/^\d{19,}$/.test(id)) expect400(await c.get(`/api/v1/users/${id}`));
      expect400(await c.get(`/api/v1/runs?cursor=${id}`));
      expect400(await c.post('/api/v1/groups', { name: 'G', userIds: [Number(id)] }));
    }
    // the largest id still answers "not found", not "invalid"
    expect((await c.get('/api/v1/runs/9007199254740991')).statusCode).toBe(404);
  });

  it('headers over 16 KB get the product error format', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as net.AddressInfo).port;
    const raw = await new Promise<string>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('end', () => resolve(out));
      s.on('close', () => resolve(out));
      s.on('error', reject);
      s.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(body).error.code).toBe('LMC_ERR_HTTP_HEADERS_TOO_LARGE');
  });
});

describe('bounded inputs (issue 13, point 7)', () => {
  it('a template keeps only a bounded header row: size, columns, column names', async () => {
    const c = apiClient(app, token);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-bounds-'));
    try {
      const conn = (await c.post('/api/v1/connections', { connectorId: 'local-directory', name: 'Bounds', settings: { root: dir } })).data.id;
      const url = `/api/v1/connections/${conn}/user-import/template`;
      const tooLarge = (r: { statusCode: number; data: any; body: string }, code: string) => {
        expect(r.statusCode, r.body).toBe(413);
        expect(r.data.error.code).toBe(code);
      };
      tooLarge(await c.post(url, { csv: 'a'.repeat(70_000) + '\n' }), 'LMC_ERR_USER_IMPORT_TEMPLATE_TOO_LARGE');
      tooLarge(await c.post(url, { csv: 'Mail,Name\n' + 'x,y\n'.repeat(600_000) }), 'LMC_ERR_COMMON_PAYLOAD_TOO_LARGE');
      tooLarge(await c.post(url, { csv: Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',') + '\n' }), 'LMC_ERR_USER_IMPORT_TEMPLATE_TOO_LARGE');
      tooLarge(await c.post(url, { csv: `Mail,${'N'.repeat(201)}\n` }), 'LMC_ERR_USER_IMPORT_TEMPLATE_TOO_LARGE');
      const ok = await c.post(url, { csv: 'Mail,Name,Boss\nann@x.test,Ann,\n' });
      expect(ok.data).toEqual({ columns: ['Mail', 'Name', 'Boss'] });
      const page = await c.get(`/api/v1/connections/${conn}/user-import/mapping`);
      expect(page.body.length).toBeLessThan(100_000);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('imported values: at most 500 characters (a longer one rejects its record); tabs trimmed like spaces', async () => {
    const account = await newAccount(ctx);
    const long = 'D'.repeat(501);
    const r = await importCsv(ctx, account.id, memFiles({ 'u.csv': `Email,Name,Manager,Title,Dept\nann@x.test,\tAnn\t,,Dev,"\tR&D "\nbob@x.test,Bob,,Dev,${long}\ncy@x.test,${'é'.repeat(300)},,Dev,Ops\n` }));
    expect(r.rejects).toEqual([expect.objectContaining({ line: 3, field: 'Dept', reason: 'value too long: 501 characters (at most 500)' })]);
    const users = await usersOf(ctx, account.id);
    const ann = users.find((u) => u.email === 'ann@x.test')!;
    expect([ann.name, (ann.fields as Record<string, string>).Department]).toEqual(['Ann', 'R&D']);
    // 300 characters of two bytes each: long in bytes, within the limit in characters
    expect(users.find((u) => u.email === 'cy@x.test')?.name).toBe('é'.repeat(300));
    // group names: a custom group's name is bounded too; groups made from values by the value limit above
    const g = await apiClient(app, token).post('/api/v1/groups', { name: 'G'.repeat(201) });
    expect(g.statusCode).toBe(400);
  });
});
