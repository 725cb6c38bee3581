import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_ENV, useTestEngineEnv } from '../engine/helpers.ts';
useTestEngineEnv();
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Api } from '../../src/api/types.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker, type WorkerHandle } from '../../src/engine/worker.ts';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';

let ctx: TestContext;
let app: Api;
let worker: WorkerHandle;
let dir: string;
let slug: string;
let conn: number;
const root = path.resolve(import.meta.dirname, '../..');

function lmc(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(root, 'bin/lmc.js'), ...args, '--account', slug], { cwd: root, env: { ...process.env, ...FAST_ENV, DATABASE_URL: ctx.dbUrl, LMC_LOG_LEVEL: 'warn' } }, (e, out, err) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }),
    ),
  );
}

beforeAll(async () => {
  ctx = await createTestContext({ LMC_LOG_LEVEL: 'silent' });
  app = await buildApi(ctx);
  worker = await startWorker(ctx, { timings: engineTimings() });
  const a = await createAccountWithToken(ctx);
  slug = a.account.slug;
  await createActiveField(ctx.db, a.account.id, { name: 'Department', kind: 'csv', groupable: true });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-import-cli-'));
  conn = (await apiClient(app, a.token).post('/api/v1/connections', { connectorId: 'local-directory', name: 'Drop', settings: { root: dir } })).data.id;
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('lmc import', () => {
  it('uploads a template, saves the mapping and filters, dry-runs, runs, and downloads change set and error report', async () => {
    const tpl = path.join(dir, 'template.csv');
    await fs.writeFile(tpl, 'Mail,Full name,Boss,Dept\n');
    const t = await lmc('import', 'template', String(conn), tpl);
    expect(t.out, t.err).toBe('columns: Mail, Full name, Boss, Dept\n');
    const bad = await lmc('import', 'map', String(conn), '--set', 'email=Mail');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('LMC_ERR_USER_IMPORT_MAPPING_INVALID');
    const m = await lmc('import', 'map', String(conn), '--set', 'email=Mail', '--set', 'name=Full name', '--set', 'manager=Boss', '--set', 'fields.Department=Dept');
    expect(m.out, m.err).toBe('mapping saved\n');
    const page = await lmc('import', 'mapping', String(conn));
    expect(page.out).toContain('ready: the import can run');
    expect(page.out).toMatch(/fields\.Department\s+yes\s+Dept/);
    const f = await lmc('import', 'filters', String(conn), '--value', 'Dept=R&D,Ops');
    expect(f.out, f.err).toContain('"column":"Dept","values":["R&D","Ops"]');
    const s = await lmc('import', 'settings', String(conn), '--absent', 'suspend', '--threshold', '0.5');
    expect(s.out, s.err).toBe('absent users: suspend, approval threshold: 0.5\n');

    await fs.writeFile(path.join(dir, 'import/user/internal/hr.csv'), 'Mail,Full name,Boss,Dept\nann@x.test,Ann,,R&D\nbob@x.test,Bob,ann@x.test,Sales\nbad,Bad,,Ops\n');
    const dry = await lmc('import', 'run', String(conn), '--dry-run', '--wait');
    expect(dry.out, dry.err).toMatch(/^run (\d+): completed_with_errors \(dry run\)\ncounts: read 3, created 1, updated 0, unchanged 0, skipped 1, rejected 1, suspended 0, deleted 0\n$/);
    const dryId = dry.out.match(/^run (\d+)/)![1];
    const cs = await lmc('import', 'change-set', dryId);
    expect(cs.out).toBe('action,email,field,old_value,new_value\ncreate,ann@x.test,name,,Ann\ncreate,ann@x.test,email,,ann@x.test\ncreate,ann@x.test,user_type,,internal\ncreate,ann@x.test,fields.Department,,R&D\n');
    const run = await lmc('import', 'run', String(conn), '--wait');
    expect(run.out, run.err).toContain('completed_with_errors\ncounts: read 3, created 1');
    const errors = await lmc('import', 'errors', run.out.match(/^run (\d+)/)![1]);
    expect(errors.out).toBe('source,line,record_id,field,reason\nhr.csv,4,bad,email,"invalid email address ""bad"""\n');
  }, 180_000); // ten CLI processes: generous on a busy machine
});
