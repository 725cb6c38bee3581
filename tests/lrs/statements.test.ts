import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qs, startLrs, statement, type LrsHarness } from './lrs-server.ts';

let h: LrsHarness;
beforeAll(async () => {
  h = await startLrs();
});
afterAll(async () => {
  await h?.close();
});

const uuid = () => crypto.randomUUID();
const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

describe('xAPI statements over HTTP', () => {
  it('serves /about without credentials and refuses unauthenticated or unversioned calls', async () => {
    const about = await fetch(`${h.endpoint}/about`);
    expect(about.status).toBe(200);
    expect((await about.json()).version).toEqual(expect.arrayContaining(['2.0.0', '1.0.3']));
    expect((await h.raw('/statements', { auth: null })).status).toBe(401);
    expect((await h.raw('/statements', { auth: 'Basic ' + Buffer.from(`${h.key}:wrong`).toString('base64') })).status).toBe(401);
    const noVersion = await h.raw('/statements', { version: null });
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).error.code).toBe('LMC_ERR_LRS_VERSION_REQUIRED');
  });

  it('round-trips a statement with @xapi/xapi and sets id, stored, authority, version and timestamp', async () => {
    const x = h.xapi('2.0.0');
    const sent = await x.sendStatement({ statement: statement() as never });
    const id = sent.data[0];
    const got = await x.getStatement({ statementId: id });
    expect(got.data).toMatchObject({ id, actor: { mbox: 'mailto:ada@example.com' }, version: '2.0.0', authority: { account: { name: h.key } } });
    expect(new Date(got.data.stored!).getTime()).toBeGreaterThan(0);
    expect(got.data.timestamp).toBe(got.data.stored);
    expect(got.headers['x-experience-api-consistent-through']).toBeDefined();
    expect(got.headers['x-experience-api-version']).toBe('2.0.0');
    expect(got.headers['last-modified']).toBe(new Date(got.data.stored!).toUTCString());
    // a 1.0.3 client gets version 1.0.0 on statements it sends without one
    const old = await h.xapi('1.0.3').sendStatement({ statement: statement() as never });
    expect((await h.xapi('1.0.3').getStatement({ statementId: old.data[0] })).data.version).toBe('1.0.0');
  });

  it('accepts an identical re-send, answers 409 for a different statement under a stored id, and 400 for a batch reusing an id', async () => {
    const id = uuid();
    const s = statement({ id, timestamp: '2024-05-01T10:00:00.000Z' });
    const put = (body: unknown) => h.raw(`/statements?statementId=${id}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    expect((await put(s)).status).toBe(204);
    // same statement, other key order and timestamp notation: still the same
    expect((await put({ ...s, timestamp: '2024-05-01T12:00:00+02:00' })).status).toBe(204);
    const conflict = await put({ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } });
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error.code).toBe('LMC_ERR_LRS_STATEMENT_CONFLICT');
    const dup = uuid();
    expect((await h.raw('/statements', json([statement({ id: dup }), statement({ id: dup })]))).status).toBe(400);
    expect((await h.raw(`/statements?statementId=${dup}`)).status).toBe(404);
  });

  it('stores a batch atomically: one invalid statement rejects all of them, naming the property', async () => {
    const good = uuid();
    const res = await h.raw('/statements', json([statement({ id: good }), statement({ actor: { mbox: 'ada@example.com' } })]));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.field).toBe('statement[1].actor.mbox');
    expect(body.error.message).toMatch(/mailto/);
    expect((await h.raw(`/statements?statementId=${good}`)).status).toBe(404);
    const bad = async (s: unknown) => (await (await h.raw('/statements', json(s))).json()).error.field;
    expect(await bad(statement({ verb: { id: 'not an iri' } }))).toBe('statement.verb.id');
    expect(await bad(statement({ result: { score: { scaled: 2 } } }))).toBe('statement.result.score.scaled');
    expect(await bad(statement({ extra: 1 }))).toBe('statement.extra');
    expect(await bad(statement({ timestamp: '2024-01-01T00:00:00-00:00' }))).toBe('statement.timestamp');
    expect(await bad(statement({ context: { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'x' } }] } }))).toBe('statement.context.contextAgents[0].agent.mbox');
  });

  it('voids statements: hidden from statementId and queries, served by voidedStatementId, refs still returned', async () => {
    const x = h.xapi();
    const verb = `http://example.com/verbs/${uuid()}`;
    const target = (await x.sendStatement({ statement: statement({ verb: { id: verb } }) as never })).data[0];
    const ref = (await x.sendStatement({ statement: statement({ verb: { id: verb }, object: { objectType: 'StatementRef', id: target } }) as never })).data[0];
    const voiding = (await x.voidStatement({ actor: { mbox: 'mailto:ada@example.com' }, statementId: target })).data[0];
    expect((await h.raw(`/statements?statementId=${target}`)).status).toBe(404);
    expect((await x.getVoidedStatement({ voidedStatementId: target })).data.id).toBe(target);
    const page = await (await h.raw(`/statements${qs({ verb })}`)).json();
    expect(page.statements.map((s: { id: string }) => s.id)).toEqual([voiding, ref]);
    // a voiding statement cannot be voided
    await x.voidStatement({ actor: { mbox: 'mailto:ada@example.com' }, statementId: voiding });
    expect((await h.raw(`/statements?statementId=${voiding}`)).status).toBe(200);
    // a voiding statement that arrives before its target voids it on arrival
    const later = uuid();
    await x.voidStatement({ actor: { mbox: 'mailto:ada@example.com' }, statementId: later });
    await x.sendStatement({ statement: statement({ id: later }) as never });
    expect((await h.raw(`/statements?statementId=${later}`)).status).toBe(404);
  });

  it('filters by agent, verb, activity (related), registration, related agents, since/until, and orders by stored', async () => {
    const x = h.xapi();
    const me = { mbox: `mailto:${uuid()}@example.com` };
    const course = `http://example.com/courses/${uuid()}`;
    const reg = uuid();
    const teacher = { mbox: `mailto:${uuid()}@example.com` };
    const first = (await x.sendStatement({ statement: statement({ actor: me, object: { id: `${course}/lesson-1` }, context: { registration: reg, instructor: teacher, contextActivities: { parent: { id: course } } } }) as never })).data[0];
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const second = (await x.sendStatement({ statement: statement({ actor: me, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, object: { id: course } }) as never })).data[0];
    const ids = async (p: Record<string, unknown>) => ((await (await h.raw(`/statements${qs(p)}`)).json()).statements as Array<{ id: string }>).map((s) => s.id);
    expect(await ids({ agent: me })).toEqual([second, first]);
    expect(await ids({ agent: me, ascending: true })).toEqual([first, second]);
    expect(await ids({ agent: me, verb: 'http://adlnet.gov/expapi/verbs/passed' })).toEqual([second]);
    expect(await ids({ activity: course })).toEqual([second]);
    expect(await ids({ activity: course, related_activities: true })).toEqual([second, first]);
    expect(await ids({ registration: reg })).toEqual([first]);
    expect(await ids({ agent: teacher })).toEqual([]);
    expect(await ids({ agent: teacher, related_agents: true })).toEqual([first]);
    expect(await ids({ agent: me, since })).toEqual([second]);
    expect(await ids({ agent: me, until: since })).toEqual([first]);
    // the stored statement keeps a single context activity as an array
    const got = await x.getStatement({ statementId: first });
    expect(got.data.context?.contextActivities?.parent).toEqual([{ id: course }]);
    // bad parameters are 400s naming them
    for (const [p, v] of [['agent', '{"mbox":"nope"}'], ['verb', 'x y'], ['since', 'yesterday'], ['limit', '-1'], ['Verb', 'http://x.y/z'], ['format', 'full']]) {
      const r = await h.raw(`/statements?${p}=${encodeURIComponent(v)}`);
      expect(r.status, p).toBe(400);
      expect(r.headers.get('x-experience-api-consistent-through'), p).toBeTruthy();
    }
    expect((await h.raw(`/statements?statementId=${first}&verb=http://x.y/z`)).status).toBe(400);
  });

  it('pages with more links that keep working while new statements arrive', async () => {
    const x = h.xapi();
    const actor = { mbox: `mailto:${uuid()}@example.com` };
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push(...(await x.sendStatements({ statements: [statement({ actor })] as never })).data);
    const p1 = await x.getStatements({ agent: actor as never, limit: 2 });
    expect(p1.data.statements.map((s: { id?: string }) => s.id)).toEqual([sent[4], sent[3]]);
    expect(p1.data.more).toMatch(/^\/xapi\/statements\?more=/);
    await x.sendStatement({ statement: statement({ actor }) as never }); // must not shift the pages
    const p2 = (await x.getMoreStatements({ more: p1.data.more! })) as typeof p1;
    expect(p2.data.statements.map((s: { id?: string }) => s.id)).toEqual([sent[2], sent[1]]);
    const p3 = (await x.getMoreStatements({ more: p2.data.more! })) as typeof p1;
    expect(p3.data.statements.map((s: { id?: string }) => s.id)).toEqual([sent[0]]);
    expect(p3.data.more).toBe('');
    expect((await h.raw('/statements?more=garbage')).status).toBe(400);
  });

  it('shapes results with format=ids and format=canonical (Accept-Language)', async () => {
    const id = uuid();
    await h.xapi().sendStatement({ statement: statement({ id, verb: { id: 'http://example.com/v', display: { 'en-US': 'did', 'fr-FR': 'a fait' } } }) as never });
    const ids = await (await h.raw(`/statements?statementId=${id}&format=ids`)).json();
    expect(ids.verb).toEqual({ id: 'http://example.com/v' });
    expect(ids.object).toEqual({ id: 'http://example.com/activities/intro' });
    expect(ids.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:ada@example.com' });
    const fr = await (await h.raw(`/statements?statementId=${id}&format=canonical`, { headers: { 'Accept-Language': 'fr-FR, en;q=0.5' } })).json();
    expect(fr.verb.display).toEqual({ 'fr-FR': 'a fait' });
    const exact = await (await h.raw(`/statements?statementId=${id}`, { headers: { 'Accept-Language': 'fr-FR' } })).json();
    expect(Object.keys(exact.verb.display)).toHaveLength(2);
  });

  it('answers HEAD like GET without a body', async () => {
    const r = await h.raw('/statements?limit=1', { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-experience-api-consistent-through')).toBeTruthy();
    expect(await r.text()).toBe('');
  });

  it('supports the alternate request syntax in 1.0.3 only', async () => {
    const id = uuid();
    const form = new URLSearchParams({ statementId: id, content: JSON.stringify(statement()), 'X-Experience-API-Version': '1.0.3', Authorization: 'Basic ' + Buffer.from(`${h.key}:${h.secret}`).toString('base64') });
    const put = await fetch(`${h.endpoint}/statements?method=PUT`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(put.status).toBe(204);
    expect((await h.raw(`/statements?statementId=${id}`, { version: '1.0.3' })).status).toBe(200);
    form.set('X-Experience-API-Version', '2.0.0');
    form.set('statementId', uuid());
    const v2 = await fetch(`${h.endpoint}/statements?method=PUT`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(v2.status).toBe(400);
  });

  it('serves /activities with merged definitions and /agents as a Person', async () => {
    const act = `http://example.com/activities/${uuid()}`;
    const x = h.xapi();
    await x.sendStatement({ statement: statement({ object: { id: act, definition: { name: { 'en-US': 'Safety' } } } }) as never });
    await x.sendStatement({ statement: statement({ object: { id: act, definition: { name: { 'de-DE': 'Sicherheit' }, type: 'http://adlnet.gov/expapi/activities/course' } } }) as never });
    const a = await x.getActivity({ activityId: act });
    expect(a.data).toMatchObject({ id: act, definition: { name: { 'en-US': 'Safety', 'de-DE': 'Sicherheit' }, type: 'http://adlnet.gov/expapi/activities/course' } });
    const unknown = await x.getActivity({ activityId: 'http://example.com/never-seen' });
    expect(unknown.data).toEqual({ objectType: 'Activity', id: 'http://example.com/never-seen' });
    const p = await x.getAgent({ agent: { mbox: 'mailto:ada@example.com', name: 'Ada' } });
    expect(p.data).toEqual({ objectType: 'Person', name: ['Ada'], mbox: ['mailto:ada@example.com'] });
  });

  it('keeps each concurrent request atomic and its errors its own when writes are grouped', async () => {
    const taken = uuid();
    expect((await h.raw('/statements', json(statement({ id: taken })))).status).toBe(200);
    const same = uuid();
    const batches = Array.from({ length: 12 }, (_, i) => Array.from({ length: 20 }, () => statement({ id: uuid(), result: { response: `r${i}` } })));
    batches[5].push(statement({ id: taken, verb: { id: 'http://example.com/verbs/other' } })); // conflicts with a stored one
    batches[7].push(statement({ id: same }));
    batches[9].push(statement({ id: same })); // the same new statement sent twice at once: both accepted
    const res = await Promise.all(batches.map((b) => h.raw('/statements', json(b))));
    expect(res.map((r) => r.status)).toEqual(batches.map((_, i) => (i === 5 ? 409 : 200)));
    for (const [i, b] of batches.entries()) {
      const got = await h.raw(`/statements?statementId=${b[0].id}`);
      expect(got.status, `batch ${i}`).toBe(i === 5 ? 404 : 200);
    }
    expect((await h.raw(`/statements?statementId=${same}`)).status).toBe(200);
  });

  it('removes the statements and their index rows of a deleted account with the account, and only those', async () => {
    const { createAccountWithToken } = await import('../helpers/api.ts');
    const { createLrsCredential } = await import('../../src/lrs/credentials.ts');
    const { sql } = await import('kysely');
    const { account } = await createAccountWithToken(h.ctx);
    const k = await createLrsCredential(h.ctx.db, account.id, { name: 'gone', scopes: ['read', 'write'] });
    const auth = 'Basic ' + Buffer.from(`${k.key}:${k.secret}`).toString('base64');
    const sent = await h.raw('/statements', { ...json([statement(), statement({ context: { contextActivities: { parent: [{ id: 'http://example.com/course' }] } } })]), auth });
    expect(sent.status).toBe(200);
    const counts = async (id: number) =>
      (await sql<{ n: number }>`select (select count(*) from lrs_statements where account_id = ${id}) + (select count(*) from lrs_statement_agents where account_id = ${id})
        + (select count(*) from lrs_statement_activities where account_id = ${id}) as n`.execute(h.ctx.db)).rows[0].n;
    const mine = (await h.ctx.db.selectFrom('lrs_credentials').select('account_id').where('key', '=', h.key).executeTakeFirstOrThrow()).account_id;
    const before = await counts(mine);
    expect(await counts(account.id)).toBeGreaterThan(2);
    await sql`delete from accounts where id = ${account.id}`.execute(h.ctx.db);
    expect(await counts(account.id)).toBe(0);
    expect(await counts(mine)).toBe(before);
  });

  it('answers 503 while a "disable access" import runs for the account (/about stays open)', async () => {
    const accountId = (await h.ctx.db.selectFrom('lrs_credentials').select('account_id').where('key', '=', h.key).executeTakeFirstOrThrow()).account_id;
    // the state the engine keeps while such a run executes: a running run with a live lease
    const { sql } = await import('kysely');
    const conn = await sql<{ id: number }>`insert into connections (account_id, connector_id, name, history_key) values (${accountId}, 'local-directory', 'drop', 'local-directory:drop') returning id`.execute(h.ctx.db);
    const run = await sql<{ id: number }>`insert into runs (account_id, connection_id, history_key, connector_id, action_id, type, trigger, status, disable_access, lease_expires_at)
      values (${accountId}, ${conn.rows[0].id}, 'local-directory:drop', 'local-directory', 'import-xapi', 'import', 'on_demand', 'running', true, now() + interval '1 minute') returning id`.execute(h.ctx.db);
    const during = await h.raw('/statements');
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBeTruthy();
    expect((await during.json()).error.code).toBe('LMC_ERR_COMMON_MAINTENANCE');
    expect((await fetch(`${h.endpoint}/about`)).status).toBe(200);
    await sql`update runs set status = 'completed' where id = ${run.rows[0].id}`.execute(h.ctx.db);
    expect((await h.raw('/statements')).status).toBe(200);
  });
});
