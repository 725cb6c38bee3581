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

  it('a first import (no plan table) creates exactly what the planned import creates', async () => {
    // The same files into an account without users (direct: the insert reads the staged rows) and into one
    // that already has an unrelated user (the plan is built): the same users, managers, documents and groups.
    const csv = HEAD +
      'e1@x.test,E1,m2@x.test,Dev,R&D\n' + 'E2@X.test , E2 ,M1@x.test,,Ops\n' + '"e3@x.test","E, Three",,"Title ""Q""",\n' +
      'm1@x.test,M1,top@x.test,Lead,Ops\n' + 'm2@x.test,M2,top@x.test,Lead,\n' + 'top@x.test,Top,,CEO,Board\n' +
      'bad,Bad,top@x.test,,\n' + 'lost@x.test,Lost,ghost@x.test,,\n' + 'under@x.test,Under,lost@x.test,,\n';
    const direct = await newAccount(ctx);
    const planned = await newAccount(ctx);
    await importCsv(ctx, planned.id, memFiles({ 'a.csv': HEAD + 'other@x.test,Other,,,\n' }));
    const a = await importCsv(ctx, direct.id, memFiles({ 'a.csv': csv }));
    const b = await importCsv(ctx, planned.id, memFiles({ 'a.csv': csv }));
    expect(a.result).toMatchObject({ read: 9, created: 6, rejected: 3, applied: true });
    expect(b.result).toMatchObject({ read: 9, created: 6, rejected: 3, applied: true });
    expect(a.rejects).toEqual(b.rejects);
    const view = async (id: number) => (await usersOf(ctx, id)).filter((u) => u.email !== 'other@x.test').map((u) => [u.email, u.name, u.manager, u.state, u.profile, u.fields, u.data_source_id]);
    expect(await view(direct.id)).toEqual(await view(planned.id));
    expect((await view(direct.id)).map((u) => [u[0], u[2]])).toEqual([
      ['E2@X.test', 'm1@x.test'], ['e1@x.test', 'm2@x.test'], ['e3@x.test', null], ['m1@x.test', 'top@x.test'], ['m2@x.test', 'top@x.test'], ['top@x.test', null],
    ]);
    const groups = async (id: number) => (await ctx.db.selectFrom('user_groups').select('name').where('account_id', '=', id).orderBy('name').execute()).map((g) => g.name);
    expect(await groups(direct.id)).toEqual(await groups(planned.id));
  });
});
