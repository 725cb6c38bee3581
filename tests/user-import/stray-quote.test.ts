import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { importCsv, memFiles, newAccount } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.destroy();
});

/** A file of `n` users (line k+1 holds user k), with some lines replaced. */
function file(n: number, replace: Record<number, string> = {}): string {
  const lines = ['Email,Name,Manager,Title,Dept'];
  for (let k = 1; k <= n; k++) lines.push(replace[k + 1] ?? `u${k}@x.test,User ${k},,Dev,R&D`);
  return lines.join('\n') + '\n';
}

const userCount = async (accountId: number) =>
  Number((await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow()).n);

describe('a stray quote rejects its record, not the run (issue 13, point 10)', () => {
  it('one stray quote at line 5,002: that record is in the error report, the other 5,999 users are imported', async () => {
    const account = await newAccount(ctx);
    const r = await importCsv(ctx, account.id, memFiles({ 'hr.csv': file(6000, { 5002: 'bob@x.test,Bo"b,,Dev,R&D' }) }));
    expect(r.rejects).toEqual([expect.objectContaining({ source: 'hr.csv', line: 5002, reason: expect.stringMatching(/quote opened on line 5002 is never closed/) })]);
    expect(await userCount(account.id)).toBe(5999);
  });

  it('two stray quotes that would join their lines, and a quoted value with a real line break, side by side', async () => {
    const account = await newAccount(ctx);
    const r = await importCsv(ctx, account.id, memFiles({ 'hr.csv': file(10, { 4: 'c@x.test,Cy "The,,Dev,R&D', 5: 'd@x.test,Di" Boss,,Dev,R&D', 7: 'e@x.test,"Eve\nSmith",,Dev,R&D' }) }));
    expect(r.rejects.map((x) => x.line)).toEqual([4, 5]);
    expect(await userCount(account.id)).toBe(8);
  });
});
