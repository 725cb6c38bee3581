import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameStatement } from '../../src/lrs/compare.ts';
import type { LrsPrincipal } from '../../src/lrs/credentials.ts';
import { needsLrsStore, storeImportedStatements } from '../../src/lrs/import-statements.ts';
import { storeStatements } from '../../src/lrs/store-statements.ts';
import { lrsStatementsStored } from '../../src/shared/metrics.ts';
import { qs, startLrs, type LrsHarness } from './lrs-server.ts';

// The CSV import's write (src/lrs/import-statements.ts): a batch COPY'd into a staging table and stored by one
// INSERT ... SELECT that skips and reports the ids stored before. What it stores is read back over the LRS's
// HTTP API, as any client reads a POSTed statement.

let h: LrsHarness;
let p: LrsPrincipal;
beforeAll(async () => {
  h = await startLrs();
  const accountId = (await h.ctx.db.selectFrom('lrs_credentials').select('account_id').where('key', '=', h.key).executeTakeFirstOrThrow()).account_id;
  p = { accountId, credentialId: 0, key: 'import-xapi/connection-1', name: 'Import xAPI: test', scopes: ['write'] };
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const uuid = () => crypto.randomUUID();
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const get = async (query: Record<string, string>) => {
  const res = await h.raw(`/statements${qs(query)}`);
  return { status: res.status, body: res.status === 200 ? await res.json() : undefined };
};

/** Text COPY treats specially (backslash, tab, newline, \N), and what array literals do (quotes, braces, commas). */
const AWKWARD = 'a\\b\tc\nd\re "q" {x,y} \\N NULL ü 漢字 🎓';

describe('storing a batch of imported statements (storeImportedStatements)', () => {
  it('stores statements exactly, with their agent and activity index rows and activity definitions, whatever their text holds', async () => {
    const tag = uuid();
    const activity = `http://example.com/activities/${tag}/{a,b}"c"\\d`;
    const mbox = `mailto:${tag}@example.com`;
    const statements = [0, 1, 2].map((i) => ({
      id: uuid(),
      actor: { mbox, name: `${AWKWARD} ${i}` },
      verb: { id: COMPLETED, display: { 'en-US': AWKWARD } },
      object: { id: activity, definition: { name: { 'en-US': AWKWARD }, type: 'http://adlnet.gov/expapi/activities/course' } },
      context: { registration: uuid(), instructor: { account: { homePage: 'http://example.com', name: `in,{"st}\\r\t${i}` } }, extensions: { 'http://example.com/ext/note': AWKWARD } },
      result: { score: { scaled: 0.5 + i / 10 }, response: AWKWARD },
      timestamp: new Date(Date.now() - i * 60_000).toISOString(),
    }));
    const before = (await lrsStatementsStored.get()).values.reduce((s, v) => s + v.value, 0);
    const r = await storeImportedStatements(h.ctx.pool, p, '2.0.0', statements);
    expect([...r.created].sort()).toEqual(statements.map((s) => s.id).sort());
    expect(r.existing.size).toBe(0);
    expect((await lrsStatementsStored.get()).values.reduce((s, v) => s + v.value, 0)).toBe(before + 3);
    for (const s of statements) {
      const got = await get({ statementId: s.id });
      expect(got.status).toBe(200);
      expect(sameStatement(s, got.body)).toBe(true);
      expect(got.body.authority.account.name).toBe(p.key);
      expect(got.body.stored).toEqual(expect.any(String));
    }
    // the index rows: by agent (actor direct, instructor related) and by activity
    expect((await get({ agent: JSON.stringify({ mbox }) })).body.statements).toHaveLength(3);
    const instructor = { account: { homePage: 'http://example.com', name: `in,{"st}\\r\t1` } };
    expect((await get({ agent: JSON.stringify(instructor), related_agents: 'true' })).body.statements.map((s: { id: string }) => s.id)).toEqual([statements[1].id]);
    expect((await get({ activity })).body.statements).toHaveLength(3);
    const act = await h.raw(`/activities${qs({ activityId: activity })}`);
    expect(act.status).toBe(200);
    expect((await act.json()).definition.name['en-US']).toBe(AWKWARD);
  }, 60_000);

  it('leaves ids stored before as they are and says which hold the same statement and which another', async () => {
    const base = () => ({ actor: { mbox: `mailto:${uuid()}@example.com` }, verb: { id: COMPLETED }, object: { id: `http://example.com/activities/${uuid()}` }, timestamp: new Date().toISOString() });
    const same = { id: uuid(), ...base() };
    const other = { id: uuid(), ...base() };
    await storeImportedStatements(h.ctx.pool, p, '2.0.0', [same, other]);
    const changed = { ...other, result: { completion: true } };
    const fresh = { id: uuid(), ...base() };
    // another key stored the same statement: authority and stored differ, it is still the same statement
    const r = await storeImportedStatements(h.ctx.pool, { ...p, key: 'someone-else' }, '2.0.0', [same, changed, fresh]);
    expect([...r.created]).toEqual([fresh.id]);
    expect(r.existing.get(same.id)).toBeNull();
    const stored = r.existing.get(other.id);
    expect(stored && sameStatement(changed, stored)).toBe(false);
    expect(stored && sameStatement(other, stored)).toBe(true);
    // the stored statement was not overwritten
    expect((await get({ statementId: other.id })).body.result).toBeUndefined();
    expect((await get({ statementId: fresh.id })).status).toBe(200);
  }, 60_000);

  it('a statement that a stored voiding statement targets arrives voided, as with the LRS store', async () => {
    const target = { id: uuid(), actor: { mbox: `mailto:${uuid()}@example.com` }, verb: { id: COMPLETED }, object: { id: 'http://example.com/activities/voided' } };
    await storeStatements(h.ctx.pool, p, '2.0.0', [{ actor: { mbox: 'mailto:admin@example.com' }, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: target.id } }]);
    const r = await storeImportedStatements(h.ctx.pool, p, '2.0.0', [target]);
    expect([...r.created]).toEqual([target.id]);
    expect((await get({ statementId: target.id })).status).toBe(404);
    expect((await get({ voidedStatementId: target.id })).status).toBe(200);
  }, 60_000);

  it('a voiding statement is left to the LRS store (it voids others)', () => {
    expect(needsLrsStore([{ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: uuid() } }])).toBe(true);
    expect(needsLrsStore([{ verb: { id: COMPLETED }, object: { objectType: 'StatementRef', id: uuid() } }])).toBe(false);
  });

  it('a failed batch stores nothing, and the next batch on the same connections is stored whole', async () => {
    const good = () => ({ id: uuid(), actor: { mbox: `mailto:${uuid()}@example.com` }, verb: { id: COMPLETED }, object: { id: 'http://example.com/activities/atomic' } });
    // one fails in the COPY (an id PostgreSQL refuses), one in the write (a statement without verb id)
    const failed = [[good(), good(), { ...good(), id: 'not-a-uuid' }], [good(), good(), { ...good(), verb: {} }]];
    for (const batch of failed) {
      await expect(storeImportedStatements(h.ctx.pool, p, '2.0.0', batch)).rejects.toThrow();
      for (const s of batch.slice(0, 2)) expect((await get({ statementId: s.id })).status).toBe(404);
    }
    // nothing of the failed batch is left staged on a pooled connection
    const next = [good(), good()];
    for (let i = 0; i < 4; i++) {
      const r = await storeImportedStatements(h.ctx.pool, p, '2.0.0', i === 0 ? next : [good()]);
      expect(r.created.size).toBe(i === 0 ? 2 : 1);
    }
    for (const batch of failed) for (const s of batch.slice(0, 2)) expect((await get({ statementId: s.id })).status).toBe(404);
  }, 60_000);
});
