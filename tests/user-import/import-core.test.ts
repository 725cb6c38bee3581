import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { importCsv, memFiles, newAccount, usersOf } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.destroy();
});

const HEAD = 'Email,Name,Manager,Title,Dept\n';

describe('user import core', () => {
  it('creates users with managers that come later in the files, then updates only what changed', async () => {
    const acc = await newAccount(ctx);
    const files = memFiles({
      'a.csv': HEAD + 'ann@x.test,Ann,boss@x.test,Dev,R&D\nbob@x.test,Bob,ann@x.test,Dev,R&D\n',
      'b.csv': HEAD + 'boss@x.test,The Boss,,CEO,Board\n',
    });
    const first = await importCsv(ctx, acc.id, files);
    expect(first.rejects).toEqual([]);
    expect(first.result).toMatchObject({ read: 3, created: 3, updated: 0, unchanged: 0, applied: true });
    const users = await usersOf(ctx, acc.id);
    expect(users.map((u) => [u.email, u.manager, u.profile, u.fields])).toEqual([
      ['ann@x.test', 'boss@x.test', { title: 'Dev' }, { Department: 'R&D' }],
      ['bob@x.test', 'ann@x.test', { title: 'Dev' }, { Department: 'R&D' }],
      ['boss@x.test', null, { title: 'CEO' }, { Department: 'Board' }],
    ]);
    const groups = await ctx.db.selectFrom('user_groups').select(['kind', 'name']).where('account_id', '=', acc.id).orderBy('name').execute();
    expect(groups.map((g) => g.name)).toEqual(['Department: Board', 'Department: R&D', 'Team of Ann', 'Team of The Boss']);

    const again = await importCsv(ctx, acc.id, memFiles({
      'a.csv': HEAD + 'ann@x.test,Ann,boss@x.test,Dev,R&D\nbob@x.test,Bob,boss@x.test,Lead,R&D\n',
      'b.csv': HEAD + 'boss@x.test,The Boss,,CEO,Board\n',
    }));
    expect(again.result).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const after = await usersOf(ctx, acc.id);
    expect(after.find((u) => u.email === 'bob@x.test')).toMatchObject({ manager: 'boss@x.test', profile: { title: 'Lead' } });
    // bob left Ann's team: her team group went with its last member
    const groupsAfter = await ctx.db.selectFrom('user_groups').select('name').where('account_id', '=', acc.id).orderBy('name').execute();
    expect(groupsAfter.map((g) => g.name)).toEqual(['Department: Board', 'Department: R&D', 'Team of The Boss']);
    // unchanged rows are not rewritten
    expect(after.find((u) => u.email === 'ann@x.test')!.updated_at).toEqual(users.find((u) => u.email === 'ann@x.test')!.updated_at);
  });
});
