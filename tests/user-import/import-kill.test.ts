import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { newAccount } from './helpers.ts';

let ctx: TestContext;
let dir: string;
beforeAll(async () => {
  ctx = await createTestContext();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-import-kill-'));
});
afterAll(async () => {
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('atomic apply', () => {
  it('kill -9 during the apply leaves the platform unchanged and the files in place', async () => {
    const acc = await newAccount(ctx);
    const inbox = path.join(dir, 'import/user/internal');
    await fs.mkdir(inbox, { recursive: true });
    const rows = ['Email,Name,Manager,Title,Dept'];
    for (let i = 0; i < 20000; i++) rows.push(`u${i}@x.test,User ${i},${i ? `u${Math.floor(i / 10)}@x.test` : ''},T${i % 7},D${i % 13}`);
    await fs.writeFile(path.join(inbox, 'users.csv'), rows.join('\n') + '\n');

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/import-child.ts'), ctx.dbUrl, String(acc.id), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.stdout.on('data', (d) => {
      out += String(d);
      if (out.includes('applying')) child.kill('SIGKILL');
    });
    const signal = await exited;
    expect(out, err).toContain('applying');
    expect(signal).toBe('SIGKILL');
    expect(out).not.toContain('done');

    // The server rolls the dead session's transaction back once it notices the client is gone.
    for (let i = 0; ; i++) {
      const busy = await ctx.pool.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'`);
      if (busy.rows[0].n === 0) break;
      if (i > 600) throw new Error('the killed import session never ended');
      await new Promise((r) => setTimeout(r, 100));
    }
    const users = await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', acc.id).executeTakeFirstOrThrow();
    expect(Number(users.n)).toBe(0);
    const groups = await ctx.db.selectFrom('user_groups').select('id').where('account_id', '=', acc.id).execute();
    expect(groups).toEqual([]);
    expect(await fs.readdir(inbox)).toEqual(['users.csv']);
  });
});
