import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { importCsv, MAPPING, memFiles, NeedsApproval, newAccount, usersOf } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.destroy();
});

const HEAD = 'Email,Name,Manager,Title,Dept\n';

describe('rejects', () => {
  it('rejects bad rows with file, line and reason and imports the rest', async () => {
    const acc = await newAccount(ctx);
    const r = await importCsv(ctx, acc.id, memFiles({
      'a.csv': HEAD +
        'boss@x.test,Boss,,CEO,Board\n' + // 2
        ',No Email,boss@x.test,,\n' + // 3
        'not-an-email,Bad,boss@x.test,,\n' + // 4
        'noname@x.test,,boss@x.test,,\n' + // 5
        'twice@x.test,Twice A,boss@x.test,,\n' + // 6
        'orphan@x.test,Orphan,ghost@x.test,,\n' + // 7
        'sub@x.test,Sub,orphan@x.test,,\n' + // 8: its manager is rejected -> unknown too
        'ragged@x.test,Ragged\n' + // 9
        '"multi@x.test","Multi\nLine",boss@x.test,,\n', // 10-11
      'b.csv': HEAD + 'TWICE@x.test,Twice B,boss@x.test,,\n' + 'selfie@x.test,Self,SELFIE@x.test,,\n',
    }));
    const by = (file: string, line: number) => r.rejects.find((x) => x.source === file && x.line === line);
    expect(by('a.csv', 3)).toMatchObject({ field: 'email', reason: 'missing email' });
    expect(by('a.csv', 4)).toMatchObject({ field: 'email', reason: 'invalid email address "not-an-email"' });
    expect(by('a.csv', 5)).toMatchObject({ recordId: 'noname@x.test', field: 'name', reason: 'missing required value: name' });
    expect(by('a.csv', 6)?.reason).toBe('the user appears more than once: a.csv line 6, b.csv line 2');
    expect(by('b.csv', 2)?.reason).toBe('the user appears more than once: a.csv line 6, b.csv line 2');
    expect(by('a.csv', 7)?.reason).toMatch(/^unknown manager "ghost@x.test"/);
    expect(by('a.csv', 8)?.reason).toMatch(/^unknown manager "orphan@x.test"/);
    expect(by('a.csv', 9)?.reason).toBe('expected 5 fields (as in the header), found 2');
    expect(by('b.csv', 3)?.reason).toBe('manager cycle: the user is their own manager');
    expect(r.rejects).toHaveLength(9);
    expect(r.result).toMatchObject({ read: 11, created: 2, rejected: 9 });
    const users = await usersOf(ctx, acc.id);
    expect(users.map((u) => [u.email, u.name, u.manager])).toEqual([['boss@x.test', 'Boss', null], ['multi@x.test', 'Multi\nLine', 'boss@x.test']]);
  });

  it('refuses e-mail addresses outside ASCII, as the users API does ("ÉMILE@" and "émile@" never become two users)', async () => {
    const acc = await newAccount(ctx);
    const r = await importCsv(ctx, acc.id, memFiles({
      'a.csv': HEAD + 'boss@x.test,Boss,,,\n' + 'ÉMILE@x.test,Émile,boss@x.test,,\n' + 'émile@x.test,Émile again,boss@x.test,,\n' + 'ana@x.test,Ana,zoé@x.test,,\n' + 'bob@exämple.test,Bob,,,\n',
    }));
    expect(r.rejects.map((x) => [x.line, x.field, x.reason])).toEqual([
      [2 + 1, 'email', 'e-mail address "ÉMILE@x.test" has characters outside ASCII (accented letters and other scripts are not accepted in e-mail addresses)'],
      [2 + 2, 'email', 'e-mail address "émile@x.test" has characters outside ASCII (accented letters and other scripts are not accepted in e-mail addresses)'],
      [2 + 3, 'manager', 'the manager\'s e-mail address "zoé@x.test" has characters outside ASCII (accented letters and other scripts are not accepted in e-mail addresses)'],
      [2 + 4, 'email', expect.stringMatching(/^e-mail address "bob@exämple.test" has characters outside ASCII/)],
    ]);
    expect((await usersOf(ctx, acc.id)).map((u) => u.email)).toEqual(['boss@x.test']);
    const api = await buildApi(ctx);
    try {
      const { token } = await createAccountWithToken(ctx);
      const res = await apiClient(api, token).post('/api/v1/users', { email: 'émile@x.test', name: 'Émile' });
      expect(res.statusCode).toBe(400);
    } finally {
      await api.close();
    }
  });

  it('rejects manager cycles naming the cycle; rows under the cycle follow; existing links count', async () => {
    const acc = await newAccount(ctx);
    const r = await importCsv(ctx, acc.id, memFiles({
      'a.csv': HEAD + 'a@x.test,A,b@x.test,,\nb@x.test,B,c@x.test,,\nc@x.test,C,a@x.test,,\nd@x.test,D,a@x.test,,\nok@x.test,OK,,,\n',
    }));
    expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([
      [2, 'manager cycle: a@x.test -> b@x.test -> c@x.test -> a@x.test'],
      [3, 'manager cycle: b@x.test -> c@x.test -> a@x.test -> b@x.test'],
      [4, 'manager cycle: c@x.test -> a@x.test -> b@x.test -> c@x.test'],
      [5, expect.stringMatching(/^unknown manager "a@x.test"/)],
    ]);
    expect((await usersOf(ctx, acc.id)).map((u) => u.email)).toEqual(['ok@x.test']);
    // With the platform's current links: p (existing) reports to q; importing q under p closes a cycle.
    await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'q@x.test,Q,,,\np@x.test,P,q@x.test,,\n' }));
    const again = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'q@x.test,Q,p@x.test,,\n' }));
    expect(again.rejects.map((x) => x.reason)).toEqual(['manager cycle: q@x.test -> p@x.test -> q@x.test']);
    expect((await usersOf(ctx, acc.id)).find((u) => u.email === 'q@x.test')?.manager).toBeNull();
    // The same cycle when the managers named in the files link up among themselves (q in the files, p outside
    // them through its stored link): found on the managers alone; r goes under q, who stays as it was.
    const closed = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'q@x.test,Q,p@x.test,,\nr@x.test,R,q@x.test,,\n' }));
    expect(closed.rejects.map((x) => [x.line, x.reason])).toEqual([[2, 'manager cycle: q@x.test -> p@x.test -> q@x.test']]);
    expect((await usersOf(ctx, acc.id)).filter((u) => ['q@x.test', 'r@x.test'].includes(u.email)).map((u) => u.manager)).toEqual([null, 'q@x.test']);
    // A cycle through a row that does not change (g keeps its manager h; h now names g): both rows are named.
    await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'h@x.test,H,,,\ng@x.test,G,h@x.test,,\n' }));
    const through = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'g@x.test,G,h@x.test,,\nh@x.test,H,g@x.test,,\n' }));
    expect(through.rejects.map((x) => [x.line, x.reason])).toEqual([
      [2, 'manager cycle: g@x.test -> h@x.test -> g@x.test'],
      [3, 'manager cycle: h@x.test -> g@x.test -> h@x.test'],
    ]);
    // No cycle: managers outside the files (ok, p) and in them (s) link to managers or to no one.
    const fine = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 's@x.test,S,ok@x.test,,\nt@x.test,T,s@x.test,,\nw@x.test,W,p@x.test,,\n' }));
    expect(fine.rejects).toEqual([]);
    const users = await usersOf(ctx, acc.id);
    expect(users.filter((u) => ['s@x.test', 't@x.test', 'w@x.test'].includes(u.email)).map((u) => [u.email, u.manager])).toEqual([
      ['s@x.test', 'ok@x.test'],
      ['t@x.test', 's@x.test'],
      ['w@x.test', 'p@x.test'],
    ]);
  });
});

describe('mapping', () => {
  it('is mandatory before the first run; an active field added since is not imported, the run goes on', async () => {
    const acc = await newAccount(ctx);
    const files = memFiles({ 'a.csv': HEAD + 'a@x.test,A,,,\n' });
    await expect(importCsv(ctx, acc.id, files, { mapping: null })).rejects.toMatchObject({ code: 'LMC_ERR_USER_IMPORT_MAPPING_REQUIRED' });
    await createActiveField(ctx.db, acc.id, { name: 'Shirt size', kind: 'manual' });
    const added = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'a@x.test,A,,,\n' }));
    expect(added.result).toMatchObject({ applied: true, created: 1 });
    expect((await usersOf(ctx, acc.id))[0].fields).toEqual({});
    await ctx.db.deleteFrom('users').where('account_id', '=', acc.id).execute();
    const bad = await importCsv(ctx, acc.id, files, { mapping: { ...MAPPING, fields: { Department: 'DontImportFromSource', 'Shirt size': 'DontImportFromSource' } } }).catch((e) => e);
    expect(bad.message).toContain('on a csv active field deletes the field from the platform; confirm it with confirmDeleteFields: ["Department"]');
    expect(await usersOf(ctx, acc.id)).toEqual([]);
  });

  it('DontImportFromSource keeps learner values of a manual field; on a confirmed csv field deletes the field', async () => {
    const acc = await newAccount(ctx);
    await createActiveField(ctx.db, acc.id, { name: 'Shirt size', kind: 'manual' });
    const mapping = { ...MAPPING, fields: { Department: 'Dept', 'Shirt size': 'DontImportFromSource' } };
    await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'a@x.test,A,,,R&D\n' }), { mapping });
    await ctx.db.updateTable('users').set({ fields: JSON.stringify({ Department: 'R&D', 'Shirt size': 'L' }) }).where('account_id', '=', acc.id).execute();
    const r = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'a@x.test,A,,,Sales\n' }), { mapping });
    expect(r.result.updated).toBe(1);
    expect((await usersOf(ctx, acc.id))[0].fields).toEqual({ Department: 'Sales', 'Shirt size': 'L' });
    const del = await importCsv(ctx, acc.id, memFiles({ 'a.csv': 'Email,Name,Manager,Title\na@x.test,A,,\n' }), {
      mapping: { ...mapping, fields: { Department: 'DontImportFromSource', 'Shirt size': 'DontImportFromSource' } },
      confirmDeleteFields: ['Department'],
    });
    expect(del.result.fieldsDeleted).toEqual(['Department']);
    expect((await usersOf(ctx, acc.id))[0].fields).toEqual({ 'Shirt size': 'L' });
    const fields = await ctx.db.selectFrom('active_fields').select('name').where('account_id', '=', acc.id).execute();
    expect(fields.map((f) => f.name)).toEqual(['Shirt size']);
  });

  it('fails before changing anything when a file lacks a mapped column, naming file and column', async () => {
    const acc = await newAccount(ctx);
    const err = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'a@x.test,A,,,\n', 'b.csv': 'Email,Name\nb@x.test,B\n' })).catch((e) => e);
    expect(err.code).toBe('LMC_ERR_USER_IMPORT_MISSING_COLUMNS');
    expect(err.message).toContain('b.csv lacks "Manager", "Title", "Dept"');
    expect(await usersOf(ctx, acc.id)).toEqual([]);
  });

  it('matches columns whatever their order and case in each file', async () => {
    const acc = await newAccount(ctx);
    const r = await importCsv(ctx, acc.id, memFiles({ 'a.csv': 'dept,Extra,EMAIL,title,name,manager\nR&D,zzz,a@x.test,Dev,Ann,\n' }));
    expect(r.rejects).toEqual([]);
    expect((await usersOf(ctx, acc.id))[0]).toMatchObject({ email: 'a@x.test', name: 'Ann', profile: { title: 'Dev' }, fields: { Department: 'R&D' } });
  });
});

describe('filters', () => {
  it('keeps only the hierarchy under the chosen managers (transitively, deep tree)', async () => {
    const acc = await newAccount(ctx);
    // Two chains of depth 40 under root1 and root2; reports listed before their managers.
    const rows: string[] = [];
    for (const root of ['r1', 'r2']) {
      for (let d = 40; d >= 1; d--) rows.push(`${root}-${d}@x.test,${root} ${d},${d === 1 ? `${root}@x.test` : `${root}-${d - 1}@x.test`},,`);
      rows.push(`${root}@x.test,${root},top@x.test,,`);
    }
    rows.push('top@x.test,Top,,,');
    const r = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + rows.join('\n') + '\n' }), { filters: { managers: ['R1@x.test'] } });
    expect(r.rejects.slice(0, 3)).toEqual([]);
    expect(r.result).toMatchObject({ read: 83, created: 41, skipped: 42 });
    expect(r.rejects).toEqual([]);
    const emails = (await usersOf(ctx, acc.id)).map((u) => u.email);
    expect(emails).toContain('r1@x.test');
    expect(emails).toContain('r1-40@x.test');
    expect(emails.some((e) => e.startsWith('r2') || e === 'top@x.test')).toBe(false);
  });

  it('keeps only rows whose column equals one of the values (also an unmapped column)', async () => {
    const acc = await newAccount(ctx);
    const r = await importCsv(ctx, acc.id, memFiles({ 'a.csv': 'Email,Name,Manager,Title,Dept,Country\na@x.test,A,,,R&D,FR\nb@x.test,B,,,R&D,DE\nc@x.test,C,,,Ops, IT \n' }), {
      filters: { values: [{ column: 'country', values: ['FR', 'IT'] }] },
    });
    expect(r.result).toMatchObject({ created: 2, skipped: 1 });
    expect((await usersOf(ctx, acc.id)).map((u) => u.email)).toEqual(['a@x.test', 'c@x.test']);
  });
  it('rejects a malformed row whatever the filters (never counted as skipped)', async () => {
    for (const filters of [{ values: [{ column: 'dept', values: ['R&D'] }] }, { managers: ['boss@x.test'] }]) {
      const acc = await newAccount(ctx);
      const r = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'boss@x.test,Boss,,,R&D\na@x.test,A,boss@x.test,,R&D\nshort@x.test,Short\nb@x.test,B,,,Ops\n' }), { filters });
      expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([[4, 'expected 5 fields (as in the header), found 2']]);
      expect(r.result).toMatchObject({ read: 4, created: 2, rejected: 1, skipped: 1 });
    }
  });
});

describe('absent users, approval and dry run', () => {
  it('suspends absent users of the source past the threshold only when approved; dry run lists the complete change set', async () => {
    const acc = await newAccount(ctx);
    const all = Array.from({ length: 10 }, (_, i) => `u${i}@x.test,U${i},,T,D`).join('\n');
    await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'boss@x.test,Boss,,CEO,Board\n' + all + '\n' }));
    // Another source's user and a hand-made one are never touched.
    await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + 'other@x.test,Other,,,\n' }), { connectionId: 2 });
    const keep = HEAD + 'boss@x.test,Boss Renamed,,CEO,Board\n' + 'u0@x.test,U0,boss@x.test,T,D\nnew@x.test,New,boss@x.test,,\n';
    const opts = { absentUsers: 'suspend' as const };
    await expect(importCsv(ctx, acc.id, memFiles({ 'a.csv': keep }), opts)).rejects.toBeInstanceOf(NeedsApproval);
    const waiting = await importCsv(ctx, acc.id, memFiles({ 'a.csv': keep }), opts).catch((e) => e);
    expect(waiting.message).toBe('this import would suspend 9 of the 11 users of this data source (more than 10%)');
    expect((await usersOf(ctx, acc.id)).every((u) => u.state === 'active')).toBe(true);

    const dry = await importCsv(ctx, acc.id, memFiles({ 'a.csv': keep }), { ...opts, dryRun: true });
    expect(dry.approval).toBeUndefined(); // a dry run never waits for approval
    expect(dry.result).toMatchObject({ applied: false, created: 1, updated: 2, unchanged: 0, suspended: 9 });
    const lines = dry.changeSet!.trim().split('\n');
    expect(lines[0]).toBe('action,email,field,old_value,new_value');
    expect(lines).toContain('create,new@x.test,name,,New');
    expect(lines).toContain('create,new@x.test,manager,,boss@x.test');
    expect(lines).toContain('update,boss@x.test,name,Boss,Boss Renamed');
    expect(lines).toContain('update,u0@x.test,manager,,boss@x.test');
    expect(lines).toContain('suspend,u9@x.test,state,active,suspended');
    expect(lines.filter((l) => l.startsWith('suspend,'))).toHaveLength(9);
    expect(lines.filter((l) => l.startsWith('update,'))).toHaveLength(2);
    expect((await usersOf(ctx, acc.id)).find((u) => u.email === 'boss@x.test')?.name).toBe('Boss');

    const done = await importCsv(ctx, acc.id, memFiles({ 'a.csv': keep }), { ...opts, approved: true });
    expect(done.result).toMatchObject({ applied: true, created: 1, updated: 2, suspended: 9 });
    const users = await usersOf(ctx, acc.id);
    expect(users.filter((u) => u.state === 'suspended').map((u) => u.email).sort()).toEqual(['u1@x.test', 'u2@x.test', 'u3@x.test', 'u4@x.test', 'u5@x.test', 'u6@x.test', 'u7@x.test', 'u8@x.test', 'u9@x.test']);
    expect(users.find((u) => u.email === 'other@x.test')?.state).toBe('active');
    // Re-appearing in a later file brings a suspended user back.
    const back = await importCsv(ctx, acc.id, memFiles({ 'a.csv': keep + 'u5@x.test,U5,,T,D\n' }), opts);
    expect(back.result).toMatchObject({ updated: 1, unchanged: 3 });
    expect((await usersOf(ctx, acc.id)).find((u) => u.email === 'u5@x.test')?.state).toBe('active');
  });

  it('deletes absent users when told to, under the threshold without approval', async () => {
    const acc = await newAccount(ctx);
    const rows = Array.from({ length: 20 }, (_, i) => `u${i}@x.test,U${i},,,`).join('\n');
    await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + rows + '\n' }));
    const r = await importCsv(ctx, acc.id, memFiles({ 'a.csv': HEAD + rows.split('\n').slice(1).join('\n') + '\n' }), { absentUsers: 'delete' });
    expect(r.result).toMatchObject({ deleted: 1, unchanged: 19 });
    expect((await usersOf(ctx, acc.id)).find((u) => u.email === 'u0@x.test')?.state).toBe('deleted');
  });
});
