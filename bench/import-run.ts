// One measurement of bench/import.ts, in its own process so its peak RSS is that step's alone.
// Usage: DATABASE_URL=... node --import tsx bench/import-run.ts <floor|import> <dropDir> [accountId connectionId]
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { openAppContext } from '../src/app-context.ts';
import { engineTimings } from '../src/engine/engine-config.ts';
import { executeRun } from '../src/engine/executor.ts';
import { createOnDemandRun, getRun } from '../src/engine/runs.ts';
import { createLogger } from '../src/shared/logger.ts';

const [mode, dropDir, account, connection] = process.argv.slice(2);
const ctx = await openAppContext({ dbUrl: process.env.DATABASE_URL!, log: createLogger('warn'), poolSize: 4 }); // config (data dir, secret key) from the environment
const inbox = path.join(dropDir, 'import/user/internal');
const files = fs.readdirSync(inbox).filter((f) => f.endsWith('.csv')).sort();
let out: Record<string, unknown>;
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
} else {
  const accountId = Number(account);
  const run = await createOnDemandRun(ctx, { accountId, userId: null }, { connectionId: Number(connection), actionId: 'import-users' });
  await executeRun(ctx, run.id, { workerId: `bench-${process.pid}`, timings: engineTimings() });
  const ms = performance.now() - t0;
  const done = await getRun(ctx, accountId, run.id);
  const logs = await ctx.db.selectFrom('run_logs').select(['message', 'data']).where('run_id', '=', run.id).orderBy('seq').execute();
  const phasesMs = logs.map((l) => (typeof l.data === 'string' ? JSON.parse(l.data) : l.data)?.phasesMs).find(Boolean);
  out = { rows: done.counts.read, ms, status: done.status, error: done.error, counts: done.counts, phasesMs };
}
await ctx.close();
process.stdout.write(JSON.stringify({ ...out, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
process.exit(0);
