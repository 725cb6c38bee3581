import crypto from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { importCsv, memFiles, newAccount, usersOf } from './helpers.ts';

// New users' foreign keys are checked set-based when the session may switch triggers off (a superuser, as
// in these tests), and by PostgreSQL's per-row triggers otherwise: both paths must give the same users and
// never a manager_id that is not a user of the account.
let ctx: TestContext;
let plain: { url: string; role: string } | undefined;
beforeAll(async () => {
  ctx = await createTestContext();
  const role = `lmc_plain_${crypto.randomBytes(4).toString('hex')}`;
  const password = crypto.randomBytes(12).toString('hex');
  await sql`${sql.raw(`create role ${role} login password '${password}'`)}`.execute(ctx.db);
  await sql`${sql.raw(`grant usage on schema public to ${role}; grant all on all tables in schema public to ${role}; grant all on all sequences in schema public to ${role}`)}`.execute(ctx.db);
  const u = new URL(ctx.dbUrl);
  u.username = role;
  u.password = password;
  plain = { url: u.toString(), role };
});
afterAll(async () => {
  if (plain) {
    const c = new pg.Client(ctx.dbUrl);
    await c.connect();
    await c.query(`drop owned by ${plain.role}`).catch(() => undefined);
    await c.end();
  }
  await ctx?.destroy();
  if (plain) {
    const { inject } = await import('vitest');
    const c = new pg.Client(inject('pgServerUrl'));
    await c.connect();
    await c.query(`drop role if exists ${plain.role}`).catch(() => undefined);
    await c.end();
  }
});

const HEAD = 'Email,Name,Manager,Title,Dept\n';
const dangling = async (accountId: number) =>
  (await sql<{ n: number }>`select count(*)::int as n from users u where u.account_id = ${accountId} and u.manager_id is not null
    and not exists (select 1 from users m where m.id = u.manager_id and m.account_id = ${accountId})`.execute(ctx.db)).rows[0].n;

describe('user import integrity of new users', () => {
  for (const mode of ['superuser (set-based checks)', 'plain role (per-row foreign-key triggers)'] as const) {
    it(`links managers in the files and existing ones: ${mode}`, async () => {
      const acc = await newAccount(ctx);
      const deps = mode.startsWith('plain') ? { ...ctx, dbUrl: plain!.url } : ctx;
      if (mode.startsWith('plain')) {
        // the role may not switch triggers off, so the import takes the per-row path
        const c = new pg.Client(plain!.url);
        await c.connect();
        const p = await c.query(`select has_parameter_privilege('session_replication_role', 'SET') as ok, (select rolsuper from pg_roles where rolname = current_user) as su`);
        await c.end();
        expect(p.rows[0]).toEqual({ ok: false, su: false });
      }
      // an existing user who becomes a manager of new ones
      await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'chief@x.test,Chief,,CEO,Board\n' }));
      const r = await importCsv(deps, acc.id, memFiles({
        'b.csv': HEAD + 'ann@x.test,Ann,boss@x.test,Dev,R&D\nboss@x.test,Boss,chief@x.test,VP,R&D\nchief@x.test,Chief,,CEO,Board\n',
      }));
      expect(r.rejects).toEqual([]);
      expect(r.result).toMatchObject({ created: 2, unchanged: 1 });
      expect((await usersOf(ctx, acc.id)).map((u) => [u.email, u.manager])).toEqual([
        ['ann@x.test', 'boss@x.test'],
        ['boss@x.test', 'chief@x.test'],
        ['chief@x.test', null],
      ]);
      expect(await dangling(acc.id)).toBe(0);
      // triggers are back on after the import's insert: a dangling manager is still refused
      await expect(sql`update users set manager_id = -1 where account_id = ${acc.id} and email = 'ann@x.test'`.execute(ctx.db)).rejects.toThrow(/foreign key/);
    });
  }
});
