import crypto from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qs, startLrs, type LrsHarness } from './lrs-server.ts';

// A statement query waits for PostgreSQL once, not twice: its maintenance check ("disable access" imports)
// runs alongside the query. While ingest keeps the API process and PostgreSQL busy, each round trip waits
// in line, so the second one showed in the verb query's p99 (docs/lrs.md, "Queries during ingest").
let h: LrsHarness;
beforeAll(async () => {
  h = await startLrs();
});
afterAll(async () => {
  await h?.close();
});

describe('statement reads', () => {
  it('run the maintenance check and the query at the same time (both are seen waiting on locks at once)', async () => {
    // warm the key cache so that the request's only queries are the maintenance check and the query
    expect((await h.raw('/statements?limit=1')).status).toBe(200);
    const locker = new pg.Client(h.ctx.dbUrl);
    await locker.connect();
    const watcher = new pg.Client(h.ctx.dbUrl);
    await watcher.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table runs, lrs_statements in access exclusive mode');
      const answer = h.raw('/statements' + qs({ verb: 'http://adlnet.gov/expapi/verbs/completed', limit: 10 }));
      let waiting: string[] = [];
      for (const end = Date.now() + 15_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
        const r = await watcher.query<{ query: string }>(`select query from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        waiting = r.rows.map((x) => (/"?runs"?/.test(x.query) ? 'maintenance check' : /lrs_statements/.test(x.query) ? 'statement query' : 'other'));
        if (waiting.includes('maintenance check') && waiting.includes('statement query')) break;
      }
      expect(waiting.sort()).toEqual(['maintenance check', 'statement query']);
      await locker.query('commit');
      expect((await answer).status).toBe(200);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
      await watcher.end();
    }
  });

  it('still answer 503 during maintenance, before their own answer (a 404 for an unknown id, a page of a query)', async () => {
    const accountId = (await h.ctx.db.selectFrom('lrs_credentials').select('account_id').where('key', '=', h.key).executeTakeFirstOrThrow()).account_id;
    const conn = await sql<{ id: number }>`insert into connections (account_id, connector_id, name, history_key) values (${accountId}, 'local-directory', 'drop 2', 'local-directory:drop-2') returning id`.execute(h.ctx.db);
    const run = await sql<{ id: number }>`insert into runs (account_id, connection_id, history_key, connector_id, action_id, type, trigger, status, disable_access, lease_expires_at)
      values (${accountId}, ${conn.rows[0].id}, 'local-directory:drop-2', 'local-directory', 'import-xapi', 'import', 'on_demand', 'running', true, now() + interval '1 minute') returning id`.execute(h.ctx.db);
    try {
      for (const path of [`/statements?statementId=${crypto.randomUUID()}`, '/statements?limit=5', `/statements?voidedStatementId=${crypto.randomUUID()}`]) {
        const r = await h.raw(path);
        expect([path, r.status, (await r.json()).error?.code]).toEqual([path, 503, 'LMC_ERR_COMMON_MAINTENANCE']);
      }
      expect((await h.raw('/statements', { method: 'HEAD' })).status).toBe(503);
    } finally {
      await sql`update runs set status = 'completed' where id = ${run.rows[0].id}`.execute(h.ctx.db);
    }
    expect((await h.raw(`/statements?statementId=${crypto.randomUUID()}`)).status).toBe(404);
  });
});
