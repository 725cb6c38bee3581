// One measurement of bench/import.ts, in its own process so its peak RSS is that step's alone.
// Usage: DATABASE_URL=... node --import tsx bench/import-run.ts <floor|scan|import|groups|write> <dropDir> [accountId connectionId]
// (scan and import need the account and connection; groups and write the account)
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { openAppContext } from '../src/app-context.ts';
import { engineTimings } from '../src/engine/engine-config.ts';
import { executeRun } from '../src/engine/executor.ts';
import { loadRegistry } from '../src/engine/registry.ts';
import { createOnDemandRun, getRun } from '../src/engine/runs.ts';
import { createLogger } from '../src/shared/logger.ts';
import { Writable } from 'node:stream';
import { CsvToCopy } from '../src/kit/csv/csv-to-copy.ts';
import { listGroupMembers, listGroups, listGroupsOfUser } from '../src/platform/groups/groups.ts';
import { getActionOptions } from '../src/engine/action-settings.ts';
import { listActiveFields } from '../src/platform/fields/active-fields.ts';
import { UserImportOptionsSchema, validateMapping } from '../src/platform/user-import/import-options.ts';
import { userRowWriter } from '../src/pipelines/import-users/row-writer.ts';
import { EmailKeys } from '../src/platform/user-import/email-filter.ts';
import { layoutFiles } from '../src/pipelines/import-users/csv-source.ts';

const [mode, dropDir, account, connection] = process.argv.slice(2);
const ctx = await openAppContext({ dbUrl: process.env.DATABASE_URL!, log: createLogger('warn'), poolSize: 4 }); // config (data dir, secret key) from the environment
const inbox = path.join(dropDir, 'import/user/internal');
const files = fs.readdirSync(inbox).filter((f) => f.endsWith('.csv')).sort();
let out: Record<string, unknown>;
// A worker loads the connectors once when it starts (src/engine/registry.ts: each manifest compiled by tsx,
// ~1 s here); done before the clock starts, as in a running worker, so an import's figure is the import's.
if (mode === 'import') await loadRegistry();
const t0 = performance.now();
if (mode === 'floor') {
  // The floor: a plain COPY of the same files into an unlogged table, no processing at all.
  const c = await ctx.pool.connect();
  const header = fs.readFileSync(path.join(inbox, files[0]), 'utf8').split('\n', 1)[0].split(',');
  await c.query('drop table if exists bench_floor');
  await c.query(`create unlogged table bench_floor (${header.map((_, i) => `c${i} text`).join(', ')})`);
  let rows = 0;
  for (const f of files) {
    const copy = c.query(copyStreams.from('copy bench_floor from stdin (format csv, header true)'));
    await pipeline(fs.createReadStream(path.join(inbox, f)), copy);
    rows += copy.rowCount;
  }
  const ms = performance.now() - t0;
  await c.query('drop table bench_floor');
  c.release();
  out = { rows, ms };
} else if (mode === 'scan') {
  // The import's Node side alone, no database, output thrown away: the CSV scanner (src/kit/csv/csv-to-copy.ts)
  // with the row writer that normalizes each record (src/pipelines/import-users/row-writer.ts), as the import
  // runs it while PostgreSQL ingests the rows; and the scanner passing records through, for comparison.
  const accountId = Number(account);
  const options = UserImportOptionsSchema.parse(await getActionOptions(ctx, accountId, Number(connection), 'import-users'));
  const { shape } = validateMapping(options, await listActiveFields(ctx.db, accountId));
  if (!shape) throw new Error('the bench mapping is invalid');
  const importFiles = files.map((f) => ({ name: f, open: async () => fs.createReadStream(path.join(inbox, f)) }));
  const layouts = await layoutFiles(importFiles, shape.requiredColumns);
  let rows = 0;
  let bytes = 0;
  const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
  const keys = new EmailKeys();
  const t = performance.now();
  for (const layout of layouts) {
    const rewrite = userRowWriter(shape, options.filters, layout.fileNo, layout.header.length, layout.positions, keys);
    const scanner = new CsvToCopy({ file: layout.file.name, fileNo: layout.fileNo, rewrite });
    bytes += fs.statSync(path.join(inbox, layout.file.name)).size;
    await pipeline(await layout.file.open(), scanner, sink());
    rows += scanner.records;
  }
  const ms = performance.now() - t;
  const t1 = performance.now();
  for (const [i, f] of files.entries()) await pipeline(fs.createReadStream(path.join(inbox, f)), new CsvToCopy({ file: f, fileNo: i + 1 }), sink());
  out = { rows, bytes, ms, passThroughMs: performance.now() - t1 };
} else if (mode === 'write') {
  // What storing the users costs by itself: the first import's users inserted again, into another account, by
  // one INSERT ... SELECT with the import's settings (foreign-key triggers off) and nothing else (no file, no
  // check, no plan), then rolled back. The part of an import no import can avoid.
  const c = await ctx.pool.connect();
  await c.query('begin');
  const acc = await c.query<{ id: number }>(`insert into accounts (name, slug) values ('Bench write', 'bench-write-' || txid_current()) returning id`);
  await c.query('set local session_replication_role = replica');
  const t = performance.now();
  const r = await c.query(
    `insert into users (account_id, email, name, manager_id, user_type, profile, fields, data_source_id)
     select $1, email, name, manager_id, user_type, profile, fields, data_source_id from users where account_id = $2 order by id`,
    [acc.rows[0].id, Number(account)],
  );
  const ms = performance.now() - t;
  await c.query('rollback');
  c.release();
  out = { rows: r.rowCount, ms };
} else if (mode === 'groups') {
  // Reads of derived group membership at the imported size, each timed (median of 3).
  const accountId = Number(account);
  const time = async (fn: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    return Math.round(ms.sort((a, b) => a - b)[1]);
  };
  const fieldGroups = await listGroups(ctx.db, accountId, { kind: 'field', limit: 1000 });
  const big = fieldGroups.reduce((a, b) => (b.memberCount > a.memberCount ? b : a));
  const small = fieldGroups.reduce((a, b) => (b.memberCount < a.memberCount ? b : a));
  const team = (await listGroups(ctx.db, accountId, { kind: 'team', limit: 1 }))[0];
  const user = await ctx.db.selectFrom('users').select('id').where('account_id', '=', accountId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  out = {
    ms: performance.now() - t0,
    groups: { field: fieldGroups.length, biggest: [big.name, big.memberCount], smallest: [small.name, small.memberCount] },
    listGroupsPage100Ms: await time(() => listGroups(ctx.db, accountId, { limit: 100 })),
    membersBiggestFieldGroupMs: await time(() => listGroupMembers(ctx.db, accountId, big.id, 100, 0)),
    membersSmallestFieldGroupMs: await time(() => listGroupMembers(ctx.db, accountId, small.id, 100, 0)),
    membersBiggestPage50Ms: await time(() => listGroupMembers(ctx.db, accountId, big.id, 100, 5000)),
    membersTeamMs: await time(() => listGroupMembers(ctx.db, accountId, team.id, 100, 0)),
    groupsOfUserMs: await time(() => listGroupsOfUser(ctx.db, accountId, user.id)),
  };
} else {
  const accountId = Number(account);
  const run = await createOnDemandRun(ctx, { accountId, userId: null }, { connectionId: Number(connection), actionId: 'import-users' });
  await executeRun(ctx, run.id, { workerId: `bench-${process.pid}`, timings: engineTimings() });
  const ms = performance.now() - t0;
  const done = await getRun(ctx, accountId, run.id);
  const logs = await ctx.db.selectFrom('run_logs').select(['message', 'data', 'at']).where('run_id', '=', run.id).orderBy('seq').execute();
  const phasesMs = logs.map((l) => (typeof l.data === 'string' ? JSON.parse(l.data) : l.data)?.phasesMs).find(Boolean);
  const times = await ctx.db.selectFrom('runs').select(['started_at', 'finished_at']).where('id', '=', run.id).executeTakeFirstOrThrow();
  const since = (d: Date | null) => (d ? new Date(d).getTime() - new Date(times.started_at!).getTime() : null);
  // Where the run's time outside the import's own phases goes: when each log line was written, from the start.
  const logAtMs = logs.map((l) => [l.message.slice(0, 40), since(l.at)]);
  out = { rows: done.counts.read, ms, status: done.status, error: done.error, counts: done.counts, phasesMs, runMs: since(times.finished_at), logAtMs };
}
await ctx.close();
process.stdout.write(JSON.stringify({ ...out, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
process.exit(0);
