// npm run bench:workday — "Import Internal Users" from Workday: BENCH_WORKERS (default 200,000) workers through
// the Workday simulator (Get_Workers pages of 100, as Workday returns them), then an incremental run after 1 %
// of the workers changed (the transaction log). Each run in its own process (peak RSS of that process); the
// simulator in another. Prints rows/s, the incremental speed-up and peak RSS; the last line is one JSON object.
// Not measured here: the CSV import of the same users (npm run bench:import measures the CSV path).
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { openAppContext } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import { putActionOptions } from '../src/engine/action-settings.ts';
import { createConnection } from '../src/engine/connections.ts';
import { createAccount } from '../src/platform/accounts.ts';
import { createActiveField } from '../src/platform/fields/active-fields.ts';
import { createLogger } from '../src/shared/logger.ts';
import { run, startBenchDatabase } from './bench-kit.ts';

const N = Number(process.env.BENCH_WORKERS ?? 200_000);
const dir = process.env.BENCH_DIR ?? `/tmp/lmc-bench-workday-${N}`;
await fs.mkdir(dir, { recursive: true });
const { server, url } = await startBenchDatabase(dir);
const sim = spawn(process.execPath, ['--import', 'tsx', 'simulators/workday/main.ts'], { env: { ...process.env, WORKDAY_SIM_WORKERS: String(N) }, stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const settings = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    sim.stdout.on('data', (d) => {
      out += String(d);
      const m = /settings: (\{.*\})/.exec(out);
      if (m) resolve(JSON.parse(m[1]));
    });
    sim.once('exit', (code) => reject(new Error(`the simulator stopped (${code})`)));
  });
  const dataDir = path.join(dir, 'data');
  const env = { DATABASE_URL: url, LMC_DATA_DIR: dataDir, LMC_LOG_LEVEL: 'warn', LMC_OUTBOUND_ALLOW_PRIVATE: 'true' };
  const ctx = await openAppContext({ config: loadConfig({ ...process.env, ...env }), dbUrl: url, log: createLogger('warn'), poolSize: 2 });
  const account = await createAccount(ctx.db, { name: `Workday bench ${Date.now()}` });
  await createActiveField(ctx.db, account.id, { name: 'Department', kind: 'csv', groupable: true });
  const connection = await createConnection(ctx, { accountId: account.id, userId: null }, { connectorId: 'workday', name: 'Workday', settings });
  await putActionOptions(ctx, account.id, connection.id, 'import-users', {
    mapping: {
      email: 'Primary Work Email',
      name: 'wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name',
      manager: 'manager',
      userType: null,
      profile: { title: 'wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Title' },
      fields: { Department: 'wd:Organization_Subtype_Reference_Department' },
    },
    absentUsers: 'suspend',
    approvalThreshold: 1,
  });
  await ctx.close();
  const step = async () => JSON.parse((await run(process.execPath, ['--import', 'tsx', 'bench/workday-run.ts', String(account.id), String(connection.id)], env)).trim().split('\n').pop()!);
  const full = await step();
  const base = String(settings.hostUrl);
  const touched = await (await fetch(`${base}/_sim/touch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ share: 0.01 }) })).json();
  const incremental = await step();
  const rowsPerSecond = Math.round(full.counts.read / (full.ms / 1000));
  const result = { workers: N, full: { ...full, rowsPerSecond }, changed: touched.changed, incremental, speedup: Math.round((full.ms / incremental.ms) * 10) / 10 };
  process.stdout.write(`full: ${full.counts.read} workers in ${(full.ms / 1000).toFixed(1)} s (${rowsPerSecond} rows/s, peak RSS ${full.rssMb} MB)\n`);
  process.stdout.write(`incremental (${touched.changed} changed): ${incremental.counts.read} read in ${(incremental.ms / 1000).toFixed(1)} s, ${result.speedup}x faster\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  sim.kill('SIGINT');
  await server.stop();
}
