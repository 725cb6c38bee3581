import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import type { Api } from '../../src/api/types.ts';

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
