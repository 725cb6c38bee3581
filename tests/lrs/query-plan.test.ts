import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryStatements, type StatementQuery } from '../../src/lrs/query-statements.ts';
import { qs, startLrs, type LrsHarness } from './lrs-server.ts';

// Statements are always newer than the statistics PostgreSQL last gathered: right after a heavy ingest, a
// `since` in the last minutes lies beyond the histogram of `stored`, the planner expects one row there, and
// it took the `stored` index filtering on the verb — reading every statement since `since` (with their heap
// pages) until a page of the verb was found; once autovacuum had analyzed, the verb index was back
// (docs/lrs.md, "Queries during and right after ingest").
let h: LrsHarness;
let accountId: number;
beforeAll(async () => {
  h = await startLrs();
  accountId = (await h.ctx.db.selectFrom('lrs_credentials').select('account_id').where('key', '=', h.key).executeTakeFirstOrThrow()).account_id;
  // the test decides when statistics are gathered
  await sql`alter table lrs_statements set (autovacuum_enabled = false)`.execute(h.ctx.db);
});
afterAll(async () => {
  await h?.close();
});

/** Inserts statements of `verb(i)` with `stored` = `stored(i)` (SQL expressions of i) straight into the table. */
async function fill(n: number, verb: string, stored: string) {
  await sql
    .raw(
      `insert into lrs_statements (account_id, id, stored, actor_key, verb_id, registration, timestamp, statement)
       select ${accountId}, g.id, g.stored, 'Agent|mbox:mailto:a@example.com', g.verb, null, g.stored,
         jsonb_build_object('id', g.id, 'actor', jsonb_build_object('mbox', 'mailto:a@example.com'), 'verb', jsonb_build_object('id', g.verb),
           'object', jsonb_build_object('id', 'http://example.com/a'), 'stored', g.stored, 'timestamp', g.stored)
       from (select gen_random_uuid() id, ${verb} verb, ${stored} stored from generate_series(1, ${n}) i) g`,
    )
    .execute(h.ctx.db);
}

/** The plan of the SQL the LRS runs for a query (taken from queryStatements). */
async function planOf(q: StatementQuery): Promise<string> {
  let captured: { text: string; params: unknown[] } | undefined;
  const recorder = { query: async (text: string, params: unknown[]) => ((captured = { text, params }), { rows: [] }) };
  await queryStatements(recorder as never, accountId, q, undefined, [], '/xapi/statements');
  const plan = await h.ctx.pool.query(`explain (analyze, buffers) ${captured!.text}`, captured!.params);
  return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
}

describe('the verb query right after an ingest the statistics have not seen', () => {
  it('reads the verb index, not every statement since `since`', async () => {
    // long verb IRIs make the verb index one level taller than the `stored` index at this size, as it is at
    // millions of statements with ordinary IRIs: with one row expected, the planner then prefers `stored`
    const v = `http://example.com/verbs/${'x'.repeat(400)}/`;
    const common = `'${v}' || (i % 20)`;
    // a month of statements, analyzed
    await fill(30_000, common, `now() - interval '30 days' + i * interval '80 seconds' - interval '1 hour'`);
    await sql`analyze lrs_statements`.execute(h.ctx.db);
    // then an ingest: 30,000 statements in the last ten minutes, a few of them with a verb seen nowhere else
    await fill(30_000, common, `now() - interval '10 minutes' + i * interval '19 milliseconds'`);
    await fill(5, `'${v}rare'`, `now() - interval '9 minutes' + i * interval '1 second'`);
    const since = new Date(Date.now() - 9.5 * 60_000).toISOString();

    const plan = await planOf({ verb: `${v}rare`, since, limit: 100 });
    expect(plan, plan).toMatch(/Index Scan using lrs_statements_verb on lrs_statements s /);
    expect(plan, plan).not.toMatch(/using lrs_statements_stored on lrs_statements s /);
    // the same holds for a common verb and for a registration
    expect(await planOf({ verb: `${v}3`, since, limit: 100 })).toMatch(/using lrs_statements_verb on lrs_statements s /);
    expect(await planOf({ registration: '0b5a2f7e-3c55-4d6b-9a55-5b8f2a6c1d11', since, limit: 100 })).toMatch(/using lrs_statements_registration on lrs_statements s /);

    const r = await h.raw('/statements' + qs({ verb: `${v}rare`, since, limit: 100 }));
    expect(r.status).toBe(200);
    expect((await r.json()).statements).toHaveLength(5);
  });
});
