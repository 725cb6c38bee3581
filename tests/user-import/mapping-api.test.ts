import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Api } from '../../src/api/types.ts';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';

let ctx: TestContext;
let app: Api;
let dir: string;
let token: string;
let admin: ReturnType<typeof apiClient>;
let base: string;
beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx);
  token = a.token;
  admin = apiClient(app, a.token);
  await createActiveField(ctx.db, a.account.id, { name: 'Department', kind: 'csv', groupable: true });
  await createActiveField(ctx.db, a.account.id, { name: 'Shirt size', kind: 'manual' });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-mapping-'));
  const c = await admin.post('/api/v1/connections', { connectorId: 'local-directory', name: 'Drop', settings: { root: dir } });
  base = `/api/v1/connections/${c.data.id}/user-import`;
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('mapping page API', () => {
  it('lists platform columns and every active field; not ready before a mapping is saved', async () => {
    const page = await admin.get(`${base}/mapping`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.data.platformColumns.map((c: { key: string }) => c.key)).toEqual([
      'email', 'name', 'manager', 'userType', 'profile.profile', 'profile.title', 'profile.location', 'profile.phone', 'fields.Department', 'fields.Shirt size',
    ]);
    expect(page.data.ready).toBe(false);
    expect(page.data.problems).toEqual(['no mapping saved yet']);
  });

  it('takes the CSV columns from an uploaded template (raw text/csv or JSON) and from the files present', async () => {
    const up = await app.inject({ method: 'POST', url: `${base}/template`, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: '\ufeffMail,Full name,Boss,Dept,Size\r\nx@y.z,X,,,\r\n' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().columns).toEqual(['Mail', 'Full name', 'Boss', 'Dept', 'Size']);
    expect((await admin.get(`${base}/mapping`)).data.csvColumns).toEqual(['Mail', 'Full name', 'Boss', 'Dept', 'Size']);
    const json = await admin.post(`${base}/template`, { csv: 'A,B\n' });
    expect(json.data.columns).toEqual(['A', 'B']);
    await fs.writeFile(path.join(dir, 'import/user/internal/one.csv'), 'Mail,Full name\n');
    await fs.writeFile(path.join(dir, 'import/user/internal/two.csv'), 'Mail,Boss\n');
    const cols = await admin.get(`${base}/columns`);
    expect(cols.data).toEqual({ files: [{ name: 'one.csv', columns: ['Mail', 'Full name'] }, { name: 'two.csv', columns: ['Mail', 'Boss'] }], columns: ['Mail', 'Full name', 'Boss'] });
  });

  it('refuses a template whose header names a column twice, with line and column (issue 19, point 3)', async () => {
    const up = await app.inject({ method: 'POST', url: `${base}/template`, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: 'Mail,Full name,mail\r\n' });
    expect(up.statusCode, up.body).toBe(422);
    expect(up.json().error).toMatchObject({ code: "LMC_ERR_CSV_DUPLICATE_HEADER" });
    expect(up.json().error.message).toMatch(/line 1, column 3: "mail" repeats column 1 \("Mail"\)/);
  });

  it('refuses an incomplete mapping naming what is missing, saves a complete one', async () => {
    const partial = await admin.put(`${base}/mapping`, { mapping: { email: 'Mail', name: 'Full name', manager: 'Boss', fields: { Department: 'Dept' } } });
    expect(partial.statusCode).toBe(400);
    expect(partial.data.error.code).toBe('LMC_ERR_USER_IMPORT_MAPPING_INVALID');
    expect(partial.data.error.message).toContain('fields.Shirt size: every active field must be mapped (or set to DontImportFromSource)');
    const noManager = await admin.put(`${base}/mapping`, { mapping: { email: 'Mail', name: 'Full name', fields: {} } });
    expect(noManager.statusCode).toBe(400);
    expect(noManager.data.error.field).toBe('body.mapping.manager');
    const ok = await admin.put(`${base}/mapping`, { mapping: { email: 'Mail', name: 'Full name', manager: 'Boss', profile: { title: 'Title' }, fields: { Department: 'Dept', 'Shirt size': 'DontImportFromSource' } } });
    expect(ok.statusCode, ok.body).toBe(200);
    const page = await admin.get(`${base}/mapping`);
    expect(page.data.ready).toBe(true);
    expect(page.data.options.mapping).toMatchObject({ email: 'Mail', manager: 'Boss', userType: null, fields: { 'Shirt size': 'DontImportFromSource' } });
  });

  it('saves filters and the absent-user settings, keeping the mapping', async () => {
    const f = await admin.put(`${base}/filters`, { managers: ['ceo@acme.test'], values: [{ column: 'Country', values: ['FR', 'DE'] }] });
    expect(f.statusCode, f.body).toBe(200);
    const bad = await admin.put(`${base}/filters`, { managers: ['not an email'] });
    expect(bad.statusCode).toBe(400);
    const s = await admin.put(`${base}/settings`, { absentUsers: 'suspend', approvalThreshold: 0.25 });
    expect(s.data.options).toMatchObject({ absentUsers: 'suspend', approvalThreshold: 0.25, filters: { managers: ['ceo@acme.test'] }, mapping: { email: 'Mail' } });
    const spec = (await apiClient(app).get('/openapi.json')).data;
    expect(Object.keys(spec.paths)).toContain('/api/v1/connections/{id}/user-import/mapping');
  });
});
