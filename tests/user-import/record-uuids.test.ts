import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/kit/user-source.ts';
import { UserImportOptionsSchema } from '../../src/platform/user-import/import-options.ts';
import { runUserImport } from '../../src/platform/user-import/run-user-import.ts';
import { recordSource } from '../../src/pipelines/import-users/record-source.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { MAPPING, newAccount } from './helpers.ts';

// A source whose record id is the person's HR UUID (recordIdIsUuid): the import writes it as
// externalIds.hr_uuid in its transaction. A new user gets it with its insert, in a first import (direct: no
// plan) as in a planned one; an existing user by the update beside the record ids. Two records with one id: the
// first one's user has it (as the record ids remember), the other none.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.destroy();
});

const rec = (id: string, email: string, name: string, manager = ''): SourceItem => ({ id, values: { Email: email, Name: name, Manager: manager, Title: 'Dev', Dept: 'R&D' } });

/** Runs the import; `logged` gets its log's messages. */
async function importRecords(accountId: number, items: SourceItem[], logged: string[] = []) {
  return runUserImport(ctx, {
    accountId,
    connectionId: 5,
    options: UserImportOptionsSchema.parse({ mapping: MAPPING }),
    dryRun: false,
    approved: false,
    source: recordSource('HR', async () => ({ complete: true, items: (async function* () { yield* items; })() }), { recordIdIsUuid: true }),
    reject: async () => undefined,
    count: () => undefined,
    requireApproval: () => undefined,
    log: (_level, message) => void logged.push(message),
  });
}

const uuids = async (accountId: number) =>
  Object.fromEntries((await ctx.db.selectFrom('users').select(['email', 'external_ids']).where('account_id', '=', accountId).orderBy('email').execute()).map((u) => [u.email, u.external_ids]));

describe('the record id as UUID', () => {
  it('new users get it with their insert, in a first import (direct) as in a planned one; of two records with one id, the first', async () => {
    const records = [rec('W-1', 'boss@x.test', 'Boss'), rec('W-2', 'ann@x.test', 'Ann', 'boss@x.test'), rec('W-3', 'bob@x.test', 'Bob', 'ann@x.test'), rec('W-2', 'twin@x.test', 'Twin')];
    const direct = await newAccount(ctx);
    const planned = await newAccount(ctx);
    await importRecords(planned.id, [rec('W-9', 'other@x.test', 'Other')]);
    for (const acc of [direct, planned]) {
      const logged: string[] = [];
      expect(await importRecords(acc.id, records, logged)).toMatchObject({ created: 4, applied: true });
      // Written by the insert: no user needed the update that sets it on existing users.
      expect(logged.filter((m) => m.includes('as their UUID'))).toEqual([]);
      expect(await uuids(acc.id)).toMatchObject({
        'boss@x.test': { hr_uuid: 'W-1' },
        'ann@x.test': { hr_uuid: 'W-2' },
        'bob@x.test': { hr_uuid: 'W-3' },
        'twin@x.test': {},
      });
    }
    expect((await uuids(direct.id))['twin@x.test']).toEqual({});
    // An existing user whose UUID is missing (imported before it was kept) gets it by that update.
    await ctx.db.updateTable('users').set({ external_ids: JSON.stringify({}) as never }).where('account_id', '=', planned.id).where('email', '=', 'bob@x.test').execute();
    const logged: string[] = [];
    expect(await importRecords(planned.id, records, logged)).toMatchObject({ unchanged: 4, applied: true });
    expect(logged).toContain('1 user got their record id as their UUID');
    expect((await uuids(planned.id))['bob@x.test']).toEqual({ hr_uuid: 'W-3' });
  }, 60_000);
});
