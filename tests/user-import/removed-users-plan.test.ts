import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABSENT, findAbsentUsers } from '../../src/platform/user-import/absent-users.ts';
import { createRecordTables, REMOVED, ROWS } from '../../src/platform/user-import/staging.ts';
import { createTestDatabase } from '../helpers/test-context.ts';

// The step of a delta read that finds the users it reported removed (absent-users.ts, scope 'removed') must not
// visit the connection's ids once per user of the connection: it did (a semi-join probing user_source_ids for
// each user, each probe scanning every id of the connection), 1 to 3 s of a 50-worker incremental Workday run
// at 5,000 workers (bench:workday). The plan is read with auto_explain (actual loops of each node), not timed.
const USERS = 2000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;
let A: number;
let C: number;

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client(db.url);
  await client.connect();
  A = Number((await client.query(`insert into accounts (name, slug) values ('removed users', 'removed-users') returning id`)).rows[0].id);
  C = Number((await client.query(`insert into connections (account_id, connector_id, name, history_key) values ($1, 'workday', 'Workday', 'wd') returning id`, [A])).rows[0].id);
  // A freshly imported connection (no statistics on its users yet, as after a first run).
  await client.query(`insert into users (account_id, email, name, data_source_id) select $1, 'u' || i || '@x.test', 'User ' || i, $2 from generate_series(1, ${USERS}) i`, [A, C]);
  await client.query(`insert into user_source_ids (connection_id, source_id, user_id) select $1, 'W' || substr(email, 2, strpos(email, '@') - 2), id from users where account_id = $2`, [C, A]);
}, 120_000);
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

async function removedStep(removed: string[], staged: string[]): Promise<{ absent: number; maxLoops: number }> {
  const plans: string[] = [];
  const onNotice = (n: { message?: string }) => plans.push(String(n.message));
  client.on('notice', onNotice);
  try {
    await client.query('begin');
    await client.query(`create temp table ${ROWS} (em text) on commit drop`);
    await createRecordTables(client);
    if (staged.length) await client.query(`insert into ${ROWS} select unnest($1::text[])`, [staged]);
    if (removed.length) await client.query(`insert into ${REMOVED} select unnest($1::text[])`, [removed]);
    await client.query(`load 'auto_explain'`);
    await client.query(`set local auto_explain.log_min_duration = 0; set local auto_explain.log_analyze = on; set local client_min_messages = log`);
    const r = await findAbsentUsers(client, A, C, 'suspend', 'removed');
    await client.query(`set local auto_explain.log_min_duration = -1`);
    await client.query('rollback');
    const plan = plans.find((p) => p.includes(`create temp table ${ABSENT}`)) ?? '';
    expect(plan, plans.join('\n')).not.toBe('');
    const maxLoops = Math.max(...[...plan.matchAll(/loops=(\d+)/g)].map((m) => Number(m[1])));
    return { absent: r.absent, maxLoops };
  } finally {
    client.off('notice', onNotice);
  }
}

describe('the users a delta read reported removed', () => {
  it('are found from the removed ids, not by visiting the ids of every user of the connection', async () => {
    const none = await removedStep([], ['u5@x.test']);
    expect(none.absent).toBe(0);
    expect(none.maxLoops).toBeLessThan(50);
    const some = await removedStep(['W7', 'W8', 'W-unknown'], ['u8@x.test']);
    // W8 is staged again in this run (it came back): only W7's user is absent.
    expect(some.absent).toBe(1);
    expect(some.maxLoops).toBeLessThan(50);
  }, 120_000);
});
