import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { createAccount } from '../../src/platform/accounts.ts';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { addMembers, createCustomGroup, listGroupMembers, listGroups, listGroupsOfUser, removeMember } from '../../src/platform/groups/groups.ts';
import { createUser, updateUser } from '../../src/platform/users/users.ts';

// Members of field and team groups are derived from users (the view user_group_membership), never stored:
// these tests change users through the platform services and read membership from both directions.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.destroy();
});

async function setup(name: string) {
  const acc = await createAccount(ctx.db, { name });
  await createActiveField(ctx.db, acc.id, { name: 'dept', kind: 'csv', groupable: true });
  const boss = await createUser(ctx.db, acc.id, { email: `boss@${acc.id}.test`, name: 'Boss', fields: { dept: 'Sales' } });
  const ann = await createUser(ctx.db, acc.id, { email: `ann@${acc.id}.test`, name: 'Ann', manager: boss.id, fields: { dept: 'Sales' } });
  const bob = await createUser(ctx.db, acc.id, { email: `bob@${acc.id}.test`, name: 'Bob', manager: boss.id, fields: { dept: 'R&D' } });
  return { acc, boss, ann, bob };
}

const groupId = async (accountId: number, name: string) => {
  const g = (await listGroups(ctx.db, accountId, { search: name })).find((x) => x.name === name);
  if (!g) throw new Error(`no group ${name}`);
  return g;
};
const members = async (accountId: number, name: string) => (await listGroupMembers(ctx.db, accountId, (await groupId(accountId, name)).id)).map((u) => u.name);
const groupsOf = async (accountId: number, userId: number) => (await listGroupsOfUser(ctx.db, accountId, userId)).map((g) => g.name);
const stored = async (accountId: number) =>
  ctx.db.selectFrom('user_group_members as m').innerJoin('user_groups as g', 'g.id', 'm.group_id').select('g.kind').where('g.account_id', '=', accountId).execute();

describe('derived group membership', () => {
  it('a user changing a field value moves group; counts follow; nothing is stored for automatic groups', async () => {
    const { acc, bob } = await setup('Members A');
    expect(await members(acc.id, 'dept: Sales')).toEqual(['Boss', 'Ann']);
    expect(await groupsOf(acc.id, bob.id)).toEqual(['dept: R&D', 'Team of Boss']);
    await updateUser(ctx.db, acc.id, bob.id, { fields: { dept: 'Sales' } });
    expect(await members(acc.id, 'dept: Sales')).toEqual(['Boss', 'Ann', 'Bob']);
    expect((await groupId(acc.id, 'dept: Sales')).memberCount).toBe(3);
    expect(await groupsOf(acc.id, bob.id)).toEqual(['dept: Sales', 'Team of Boss']);
    // nobody holds R&D any more: the group is gone
    expect((await listGroups(ctx.db, acc.id, { kind: 'field' })).map((g) => g.name)).toEqual(['dept: Sales']);
    expect(await stored(acc.id)).toEqual([]);
  });

  it('a manager change moves the user to the new manager\'s team', async () => {
    const { acc, boss, ann, bob } = await setup('Members B');
    expect(await members(acc.id, 'Team of Boss')).toEqual(['Ann', 'Bob']);
    await updateUser(ctx.db, acc.id, bob.id, { manager: ann.id });
    expect(await members(acc.id, 'Team of Boss')).toEqual(['Ann']);
    expect(await members(acc.id, 'Team of Ann')).toEqual(['Bob']);
    expect(await groupsOf(acc.id, bob.id)).toEqual(['dept: R&D', 'Team of Ann']);
    expect(await groupsOf(acc.id, boss.id)).toEqual(['dept: Sales']);
    // Ann's team empties when Bob leaves it
    await updateUser(ctx.db, acc.id, bob.id, { manager: null });
    expect((await listGroups(ctx.db, acc.id, { kind: 'team' })).map((g) => g.name)).toEqual(['Team of Boss']);
  });

  it('custom groups keep stored members, beside the derived ones', async () => {
    const { acc, ann, bob } = await setup('Members C');
    const gid = await createCustomGroup(ctx.db, acc.id, 'Mentors', [ann.id]);
    await addMembers(ctx.db, acc.id, gid, [bob.id]);
    expect((await listGroupMembers(ctx.db, acc.id, gid)).map((u) => u.name)).toEqual(['Ann', 'Bob']);
    expect(await groupsOf(acc.id, ann.id)).toEqual(['Mentors', 'dept: Sales', 'Team of Boss']);
    expect((await groupId(acc.id, 'Mentors')).memberCount).toBe(2);
    await removeMember(ctx.db, acc.id, gid, ann.id);
    expect((await listGroupMembers(ctx.db, acc.id, gid)).map((u) => u.name)).toEqual(['Bob']);
    expect((await stored(acc.id)).map((r) => r.kind)).toEqual(['custom']);
  });

  it('a deleted user is in no automatic group; a deleted manager\'s team goes; a removed user leaves custom groups', async () => {
    const { acc, boss, ann, bob } = await setup('Members D');
    const gid = await createCustomGroup(ctx.db, acc.id, 'Club', [ann.id, bob.id]);
    await updateUser(ctx.db, acc.id, ann.id, { state: 'deleted' });
    expect(await members(acc.id, 'dept: Sales')).toEqual(['Boss']);
    expect(await members(acc.id, 'Team of Boss')).toEqual(['Bob']);
    expect(await groupsOf(acc.id, ann.id)).toEqual(['Club']);
    await updateUser(ctx.db, acc.id, boss.id, { state: 'deleted' });
    expect((await listGroups(ctx.db, acc.id)).map((g) => g.name)).toEqual(['Club', 'dept: R&D']);
    expect(await groupsOf(acc.id, bob.id)).toEqual(['Club', 'dept: R&D']);
    // a row removed from users (account deletion cascades) leaves no membership behind
    await ctx.db.deleteFrom('users').where('id', '=', ann.id).execute();
    expect((await listGroupMembers(ctx.db, acc.id, gid)).map((u) => u.name)).toEqual(['Bob']);
  });
});
