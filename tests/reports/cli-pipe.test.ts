import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildBulkAccount } from './bulk-account.ts';

// Issue 19, point 9: `lmc report … | head` must end quietly when the reader goes away (no EPIPE error, no stack).

let ctx: TestContext;
const root = path.resolve(import.meta.dirname, '../..');
beforeAll(async () => {
  ctx = await createTestContext();
  const bulk = await buildBulkAccount(ctx, { users: 300, perUser: 50, slug: 'bulk-pipe' });
  // The CLI acts as the account's integration admin: make one of the bulk account's learners that.
  const first = await ctx.db.selectFrom('users').select('id').where('account_id', '=', bulk.accountId).orderBy('id').executeTakeFirstOrThrow();
  await ctx.db.updateTable('users').set({ roles: ['learner', 'integration_admin'] }).where('id', '=', first.id).execute();
}, 120_000);
afterAll(async () => {
  await ctx?.destroy();
});

describe('lmc piped into a reader that stops early', () => {
  it('a report piped to head: the first lines arrive, no EPIPE error, no stack trace', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin/lmc.js'), 'report', 'learner-transcript', '--account', 'bulk-pipe'], {
      cwd: root, env: { ...process.env, DATABASE_URL: ctx.dbUrl, LMC_DATA_DIR: ctx.config.dataDir, LMC_LOG_LEVEL: 'silent' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Like `head -n 1`: read the first chunk, then close the pipe while lmc is still writing megabytes.
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(first).toMatch(/^User ID,/);
    expect(err).not.toMatch(/EPIPE/);
    expect(err).not.toMatch(/^\s+at /m);
    expect(code).toBe(0);
  }, 60_000);
});
