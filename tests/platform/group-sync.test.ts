import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { createAccount } from '../../src/platform/accounts.ts';
import { syncAutomaticGroups } from '../../src/platform/groups/sync-automatic-groups.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.destroy();
});

/** group name -> sorted member emails, for one account's automatic groups */
async function groupsOf(accountId: number) {
  const rows = await sql<{ name: string; emails: string[] }>`
    select g.name, coalesce(array_agg(u.email order by u.email) filter (where u.id is not null), '{}') as emails
    from user_groups g left join user_group_membership m on m.group_id = g.id left join users u on u.id = m.user_id
    where g.account_id = ${accountId} and g.kind <> 'custom' group by g.name order by g.name`.execute(ctx.db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.emails]));
}

describe('syncAutomaticGroups', () => {
  it('keeps field and team groups exact as values, managers and states change', async () => {
    const acc = await createAccount(ctx.db, { name: 'Sync A' });
    const other = await createAccount(ctx.db, { name: 'Sync B' });
    await ctx.db.insertInto('active_fields').values([
      { account_id: acc.id, name: 'dept', kind: 'csv', groupable: true },
      { account_id: acc.id, name: 'badge', kind: 'csv', groupable: false },
      { account_id: other.id, name: 'dept', kind: 'csv', groupable: true },
    ]).execute();
    const boss = await ctx.db.insertInto('users').values({ account_id: acc.id, email: 'boss@a.test', name: 'Boss', fields: { dept: 'Sales', badge: 'x' } }).returning('id').executeTakeFirstOrThrow();
    const mk = (email: string, fields: Record<string, string>, manager_id: number | null = boss.id) =>
      ctx.db.insertInto('users').values({ account_id: acc.id, email, name: email, fields, manager_id }).returning('id').executeTakeFirstOrThrow();
    const ann = await mk('ann@a.test', { dept: 'Sales' });
    const bob = await mk('bob@a.test', { dept: 'R&D' });
    await mk('cid@a.test', { dept: '' });
    await ctx.db.insertInto('users').values({ account_id: other.id, email: 'z@b.test', name: 'Z', fields: { dept: 'Sales' } }).execute();

    expect(await syncAutomaticGroups(ctx.db, acc.id)).toEqual({ created: 3, removed: 0 });
    expect(await groupsOf(acc.id)).toEqual({
      'Team of Boss': ['ann@a.test', 'bob@a.test', 'cid@a.test'],
      'dept: R&D': ['bob@a.test'],
      'dept: Sales': ['ann@a.test', 'boss@a.test'],
    });
    // idempotent
    expect(await syncAutomaticGroups(ctx.db, acc.id)).toEqual({ created: 0, removed: 0 });

    // values change, a user is deleted, a manager changes
    await ctx.db.updateTable('users').set({ fields: { dept: 'Ops' } }).where('id', '=', bob.id).execute();
    await ctx.db.updateTable('users').set({ state: 'deleted' }).where('email', '=', 'cid@a.test').execute();
    await ctx.db.updateTable('users').set({ manager_id: ann.id }).where('id', '=', bob.id).execute();
    expect(await syncAutomaticGroups(ctx.db, acc.id)).toEqual({ created: 2, removed: 1 });
    expect(await groupsOf(acc.id)).toEqual({
      'Team of Boss': ['ann@a.test'],
      'Team of ann@a.test': ['bob@a.test'],
      'dept: Ops': ['bob@a.test'],
      'dept: Sales': ['ann@a.test', 'boss@a.test'],
    });

    // a field no longer group-able loses its groups; custom groups are untouched
    await ctx.db.insertInto('user_groups').values({ account_id: acc.id, kind: 'custom', name: 'Mine' }).execute();
    await ctx.db.updateTable('active_fields').set({ groupable: false }).where('account_id', '=', acc.id).execute();
    expect(await syncAutomaticGroups(ctx.db, acc.id)).toEqual({ created: 0, removed: 2 });
    expect(Object.keys(await groupsOf(acc.id))).toEqual(['Team of Boss', 'Team of ann@a.test']);
    expect(await ctx.db.selectFrom('user_groups').select('name').where('kind', '=', 'custom').execute()).toEqual([{ name: 'Mine' }]);
    // the other account was never touched
    expect(await groupsOf(other.id)).toEqual({});
  });

  it('runs inside a caller transaction', async () => {
    const acc = await createAccount(ctx.db, { name: 'Sync C' });
    await ctx.db.insertInto('active_fields').values({ account_id: acc.id, name: 'site', kind: 'csv', groupable: true }).execute();
    await ctx.db.insertInto('users').values({ account_id: acc.id, email: 'a@c.test', name: 'A', fields: { site: 'Paris' } }).execute();
    const r = await ctx.db.transaction().execute((trx) => syncAutomaticGroups(trx, acc.id));
    expect(r).toEqual({ created: 1, removed: 0 });
    expect(await groupsOf(acc.id)).toEqual({ 'site: Paris': ['a@c.test'] });
  });

  it('scoped to changed users (an id list or a table of ids) gives the same groups as a full sync', async () => {
    const acc = await createAccount(ctx.db, { name: 'Sync D' });
    await ctx.db.insertInto('active_fields').values({ account_id: acc.id, name: 'site', kind: 'csv', groupable: true }).execute();
    const boss = await ctx.db.insertInto('users').values({ account_id: acc.id, email: 'boss@d.test', name: 'Boss', fields: { site: 'Rome' } }).returning('id').executeTakeFirstOrThrow();
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const u = await ctx.db.insertInto('users').values({ account_id: acc.id, email: `u${i}@d.test`, name: `U${i}`, manager_id: boss.id, fields: { site: i % 2 ? 'Rome' : 'Oslo' } }).returning('id').executeTakeFirstOrThrow();
      ids.push(u.id);
    }
    await syncAutomaticGroups(ctx.db, acc.id);
    // u0 moves to Rome under u1; u2 is deleted
    await ctx.db.updateTable('users').set({ fields: { site: 'Rome' }, manager_id: ids[1] }).where('id', '=', ids[0]).execute();
    await ctx.db.updateTable('users').set({ state: 'deleted' }).where('id', '=', ids[2]).execute();
    const scoped = await ctx.db.transaction().execute(async (trx) => {
      await sql`create temp table changed (user_id bigint) on commit drop`.execute(trx);
      await sql`insert into changed values (${ids[0]}), (${ids[2]})`.execute(trx);
      const r = await syncAutomaticGroups(trx, acc.id, { userIdsTable: 'changed' });
      return { r, groups: await groupsOf(acc.id) };
    });
    expect(scoped.r).toEqual({ created: 1, removed: 0 });
    const viaTable = await groupsOf(acc.id);
    expect(await syncAutomaticGroups(ctx.db, acc.id)).toEqual({ created: 0, removed: 0 });
    expect(await groupsOf(acc.id)).toEqual(viaTable);
    expect(viaTable).toEqual({
      'Team of Boss': ['u1@d.test', 'u3@d.test', 'u4@d.test', 'u5@d.test'],
      'Team of U1': ['u0@d.test'],
      'site: Oslo': ['u4@d.test'],
      'site: Rome': ['boss@d.test', 'u0@d.test', 'u1@d.test', 'u3@d.test', 'u5@d.test'],
    });
    // an id list works the same
    await ctx.db.updateTable('users').set({ fields: {} }).where('id', '=', ids[4]).execute();
    expect(await syncAutomaticGroups(ctx.db, acc.id, { userIds: [ids[4]] })).toEqual({ created: 0, removed: 1 });
    expect(Object.keys(await groupsOf(acc.id))).not.toContain('site: Oslo');
  });
});
