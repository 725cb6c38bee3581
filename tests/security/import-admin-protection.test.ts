import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { memFiles, MAPPING } from '../user-import/helpers.ts';
import type { Api } from '../../src/api/types.ts';
import type { Role } from '../../src/db/schema/core.ts';
import { createApiToken } from '../../src/platform/api-tokens.ts';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { UserImportOptionsSchema } from '../../src/platform/user-import/import-options.ts';
import { runUserImport, type UserImportIo } from '../../src/platform/user-import/run-user-import.ts';
import { csvSource, type ImportFile } from '../../src/pipelines/import-users/csv-source.ts';

// Issue 13, point 6: a CSV row with the administrator's email (in another case) rewrote the administrator and
// moved it to the import's data source; the next run with absent users = delete deleted it, and its tokens
// stopped working. Replayed with the real import (COPY, set-based SQL) on a real database, and the API.

let ctx: TestContext;
let app: Api;
let accountId: number;
let adminId: number;
let adminToken: string;
let admin: ReturnType<typeof apiClient>;
let hrFeed: number;
let otherFeed: number;

const HEAD = 'Email,Name,Manager,Title,Dept\n';

async function newConnection(name: string): Promise<number> {
  const c = await ctx.db
    .insertInto('connections')
    .values({ account_id: accountId, connector_id: 'local-directory', name, history_key: `local-directory:${name}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(c.id);
}

async function runImport(connectionId: number, files: ImportFile[], opts: { absentUsers?: 'keep' | 'suspend' | 'delete'; dryRun?: boolean } = {}) {
  const rejects: Array<{ source: string; line?: number; recordId?: string; field?: string; reason: string }> = [];
  const logs: Array<{ level: string; message: string; data?: Record<string, unknown> }> = [];
  let changeSet = '';
  const io: UserImportIo = {
    accountId,
    connectionId,
    options: UserImportOptionsSchema.parse({ mapping: MAPPING, absentUsers: opts.absentUsers ?? 'keep', approvalThreshold: 1 }),
    dryRun: opts.dryRun ?? false,
    approved: true,
    source: csvSource(files),
    reject: async (r) => void rejects.push(r),
    count: () => undefined,
    log: (level, message, data) => void logs.push({ level, message, data }),
    changeSet: async (csv) => {
      for await (const c of csv) changeSet += String(c);
    },
    requireApproval: () => {
      throw new Error('no approval expected');
    },
  };
  const result = await runUserImport(ctx, io);
  return { result, rejects, logs, changeSet };
}

const userByEmail = (email: string) => ctx.db.selectFrom('users').selectAll().where('account_id', '=', accountId).where('email', 'ilike', email).executeTakeFirstOrThrow();

async function addUser(email: string, roles: Role[], dataSourceId: number | null = null) {
  return ctx.db.insertInto('users').values({ account_id: accountId, email, name: email.split('@')[0], roles, data_source_id: dataSourceId }).returningAll().executeTakeFirstOrThrow();
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx, { email: 'Boss@acme.test' });
  accountId = a.account.id;
  adminId = a.user.id;
  adminToken = a.token;
  admin = apiClient(app, a.token);
  await createActiveField(ctx.db, accountId, { name: 'Department', kind: 'csv', groupable: true });
  hrFeed = await newConnection('HR feed');
  otherFeed = await newConnection('Contractors');
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('an import cannot take over or delete an administrator', () => {
  it('rejects a row with the administrator email (another case), naming the row; the administrator stays as it was', async () => {
    const before = await userByEmail('boss@acme.test');
    const r = await runImport(hrFeed, memFiles({ 'hr.csv': HEAD + 'ann@acme.test,Ann,,Dev,R&D\nBOSS@ACME.TEST,Hacked,ann@acme.test,Intern,R&D\nbob@acme.test,Bob,boss@acme.test,Dev,R&D\n' }), { absentUsers: 'delete' });
    expect(r.rejects).toEqual([
      expect.objectContaining({ source: 'hr.csv', line: 3, recordId: 'BOSS@ACME.TEST', field: 'email', reason: expect.stringContaining('an import never takes an administrator over') }),
    ]);
    expect(r.rejects[0].reason).toContain('administrator (admin, integration admin) who belongs to no data source');
    expect(r.result).toMatchObject({ created: 2, rejected: 1 });
    const after = await userByEmail('boss@acme.test');
    expect(after).toMatchObject({ email: 'Boss@acme.test', name: before.name, data_source_id: null, manager_id: null, state: 'active', profile: before.profile, fields: before.fields });
    expect(after.updated_at).toEqual(before.updated_at);
    // the row under it links to the administrator as it is
    expect((await userByEmail('bob@acme.test')).manager_id).toBe(adminId);
    // a second run deletes nobody it does not own, and the administrator's token still works
    await runImport(hrFeed, memFiles({ 'hr.csv': HEAD + 'ann@acme.test,Ann,,Dev,R&D\n' }), { absentUsers: 'delete' });
    expect((await userByEmail('boss@acme.test')).state).toBe('active');
    expect((await apiClient(app, adminToken).get('/api/v1/me')).statusCode).toBe(200);
  });

  it('never suspends or deletes an administrator the data source owns; the run log names it', async () => {
    const ia = await addUser('integrator@acme.test', ['learner', 'integration_admin'], hrFeed);
    const lea = await addUser('leaver@acme.test', ['learner'], hrFeed);
    const { token } = await createApiToken(ctx.db, { accountId, userId: ia.id, name: 'ci' });
    const dry = await runImport(hrFeed, memFiles({ 'hr.csv': HEAD + 'ann@acme.test,Ann,,Dev,R&D\n' }), { absentUsers: 'delete', dryRun: true });
    expect(dry.changeSet).toContain('leaver@acme.test');
    expect(dry.changeSet).not.toContain('integrator@acme.test');
    const r = await runImport(hrFeed, memFiles({ 'hr.csv': HEAD + 'ann@acme.test,Ann,,Dev,R&D\n' }), { absentUsers: 'delete' });
    expect(r.result.deleted).toBeGreaterThanOrEqual(1);
    expect((await userByEmail(lea.email)).state).toBe('deleted');
    expect((await userByEmail(ia.email)).state).toBe('active');
    expect(r.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('1 administrator absent from the files was not deleted') }));
    expect(r.logs.find((l) => l.level === 'warn')!.message).toContain('integrator@acme.test');
    expect((await apiClient(app, token).get('/api/v1/me')).statusCode).toBe(200);
    const s = await runImport(hrFeed, memFiles({ 'hr.csv': HEAD + 'ann@acme.test,Ann,,Dev,R&D\n' }), { absentUsers: 'suspend' });
    expect((await userByEmail(ia.email)).state).toBe('active');
    expect(s.logs.find((l) => l.level === 'warn')!.message).toContain('was not suspended');
  });

  it('another data source cannot take over an administrator owned by the first', async () => {
    await addUser('hr-admin@acme.test', ['learner', 'admin'], hrFeed);
    const r = await runImport(otherFeed, memFiles({ 'c.csv': HEAD + 'HR-Admin@acme.test,Taken,,,\n' }));
    expect(r.rejects).toEqual([expect.objectContaining({ line: 2, recordId: 'HR-Admin@acme.test', reason: expect.stringContaining('who belongs to another data source') })]);
    expect((await userByEmail('hr-admin@acme.test')).data_source_id).toBe(hrFeed);
  });

  it('is taken over only explicitly: an admin sets its data source, then the import updates it', async () => {
    const ia = apiClient(app, (await createApiToken(ctx.db, { accountId, userId: (await addUser('ia-only@acme.test', ['integration_admin'])).id, name: 't' })).token);
    const refused = await ia.patch(`/api/v1/users/${adminId}`, { dataSourceId: hrFeed });
    expect(refused.statusCode).toBe(403);
    expect(refused.data.error).toMatchObject({ code: 'LMC_ERR_USER_ADMIN_PROTECTED', field: 'dataSourceId' });
    const unknown = await admin.patch(`/api/v1/users/${adminId}`, { dataSourceId: 999999 });
    expect(unknown.data.error).toMatchObject({ code: 'LMC_ERR_USER_DATA_SOURCE_NOT_FOUND', field: 'dataSourceId' });
    const ok = await admin.patch(`/api/v1/users/${adminId}`, { dataSourceId: hrFeed });
    expect(ok.statusCode).toBe(200);
    expect(ok.data.dataSourceId).toBe(hrFeed);
    const r = await runImport(hrFeed, memFiles({ 'hr.csv': HEAD + 'ann@acme.test,Ann,,Dev,R&D\nboss@acme.test,The Boss,,CEO,Board\n' }), { absentUsers: 'delete' });
    expect(r.rejects).toEqual([]);
    const boss = await userByEmail('boss@acme.test');
    expect(boss).toMatchObject({ name: 'The Boss', data_source_id: hrFeed, state: 'active', profile: { title: 'CEO' }, fields: { Department: 'Board' } });
    // roles are never an import's business
    expect(boss.roles).toContain('admin');
  });
});
