// npm run bench:workday — "Import Internal Users" from Workday: BENCH_WORKERS (default 200,000) workers through
// the Workday simulator (Get_Workers pages of 100, as Workday returns them), beside the CSV import of the same
// users in the same run (the floor), then an incremental run after 1 % of the workers changed (the transaction
// log). Each step runs in its own process (its peak RSS is the step's); the simulator in another.
//   csv:         the same users (active workers: e-mail, name, manager's e-mail, title, department) written as a
//                CSV and imported by the local-directory connector (bench/import-run.ts), as bench/api-import.ts
//                does for Entra ID;
//   full:        the Workday import, first run (every active worker);
//   incremental: the next run after 1 % of the workers changed (Transaction_Log_Criteria_Data: only those).
// Prints rows/s beside the floor, the ratio, the incremental speed-up and peak RSS; the last line is one JSON
// object. BENCH_CPU_PROF=<dir> writes a CPU profile of each step and of the simulator.
// Targets (issue 17): the incremental run at least 10x faster than the full run.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { WorkerStore } from '../simulators/workday/store.ts';
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
const drop = path.join(dir, 'drop');
const inbox = path.join(drop, 'import/user/internal');
await fs.rm(dir, { recursive: true, force: true });
await fs.mkdir(inbox, { recursive: true });
const { server, url } = await startBenchDatabase(dir);
// One directory per process and Node's own file names: a fixed --cpu-prof-name is shared by every thread of the
// process (tsx's module-hooks thread among them), and the last to exit overwrote the main thread's profile.
const prof = (name: string) => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.BENCH_CPU_PROF, name)}`] : []);
const sim = spawn(process.execPath, [...prof('simulator'), '--import', 'tsx', 'simulators/workday/main.ts'], { env: { ...process.env, WORKDAY_SIM_WORKERS: String(N) }, stdio: ['ignore', 'pipe', 'inherit'] });
const csvCell = (v: string | null | undefined) => (v == null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
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
  // The same tenant as the simulator's (a seeded store: same count, same workers): the users of a full read, as
  // a CSV. A terminated manager is not imported, so the worker under one has no manager in either import.
  const store = new WorkerStore({ workers: N });
  const lines = ['Email,Name,Manager,Title,Department'];
  for (const w of store.list) {
    if (w.terminated) continue;
    const m = w.managerId ? store.get(w.managerId) : undefined;
    lines.push([w.email, `${w.firstName} ${w.lastName}`, m && !m.terminated ? m.email : '', w.businessTitle, w.department].map(csvCell).join(','));
  }
  await fs.writeFile(path.join(inbox, 'users.csv'), lines.join('\n') + '\n');
  const active = lines.length - 1;

  const dataDir = path.join(dir, 'data');
  const env = { DATABASE_URL: url, LMC_DATA_DIR: dataDir, LMC_LOG_LEVEL: 'warn', LMC_OUTBOUND_ALLOW_PRIVATE: 'true', LMC_LOCAL_DROP_ROOTS: dir };
  const ctx = await openAppContext({ config: loadConfig({ ...process.env, ...env }), dbUrl: url, log: createLogger('warn'), poolSize: 2 });
  const newAccount = async (name: string) => {
    const a = await createAccount(ctx.db, { name: `${name} ${Date.now()}` });
    await createActiveField(ctx.db, a.id, { name: 'Department', kind: 'csv', groupable: true });
    return a;
  };
  const csvAccount = await newAccount('Workday bench, CSV floor');
  const csvConn = await createConnection(ctx, { accountId: csvAccount.id, userId: null }, { connectorId: 'local-directory', name: 'Bench drop', settings: { root: drop } });
  await putActionOptions(ctx, csvAccount.id, csvConn.id, 'import-users', { mapping: { email: 'Email', name: 'Name', manager: 'Manager', userType: null, profile: { title: 'Title' }, fields: { Department: 'Department' } } });
  const account = await newAccount('Workday bench');
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
  const last = (out: string) => JSON.parse(out.trim().split('\n').pop()!);
  const csv = last(await run(process.execPath, [...prof('csv'), '--import', 'tsx', 'bench/import-run.ts', 'import', drop, String(csvAccount.id), String(csvConn.id)], env));
  if (csv.status !== 'completed' || csv.counts.created !== active) throw new Error(`the CSV import did not create ${active} users: ${JSON.stringify(csv)}`);
  const step = async (name: string) => last(await run(process.execPath, [...prof(name), '--import', 'tsx', 'bench/workday-run.ts', String(account.id), String(connection.id)], env));
  const full = await step('full');
  if (full.status !== 'completed' || full.counts.created !== active) throw new Error(`the Workday import did not create ${active} users: ${JSON.stringify(full)}`);
  const base = String(settings.hostUrl);
  const touched = await (await fetch(`${base}/_sim/touch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ share: 0.01 }) })).json();
  const incremental = await step('incremental');
  const rate = (m: { ms: number; counts: { read: number } }) => Math.round(m.counts.read / (m.ms / 1000));
  const summary = {
    bench: 'workday',
    workers: N,
    activeWorkers: active,
    pageSize: 100,
    csvImportRowsPerSec: rate(csv),
    csvImportSeconds: +(csv.ms / 1000).toFixed(2),
    csvImportPeakRssMb: Math.round(csv.peakRssMb),
    workdayRowsPerSec: rate(full),
    workdaySeconds: +(full.ms / 1000).toFixed(2),
    workdayPeakRssMb: full.rssMb,
    workdayToCsvRatio: +(rate(full) / rate(csv)).toFixed(3),
    changedWorkers: touched.changed,
    incrementalRead: incremental.counts.read,
    incrementalUpdated: incremental.counts.updated,
    incrementalSeconds: +(incremental.ms / 1000).toFixed(2),
    incrementalPeakRssMb: incremental.rssMb,
    incrementalSpeedup: +(full.ms / incremental.ms).toFixed(1),
    targets: { incrementalSpeedup: 10 },
  };
  process.stdout.write(
    `Workday import of ${N} workers (${active} active; simulator, pages of 100):\n` +
      `  floor: CSV import of the same users: ${summary.csvImportRowsPerSec} rows/s, ${summary.csvImportSeconds} s, peak RSS ${summary.csvImportPeakRssMb} MB\n` +
      `  Workday import (full read):          ${summary.workdayRowsPerSec} rows/s, ${summary.workdaySeconds} s, peak RSS ${summary.workdayPeakRssMb} MB (ratio to CSV ${summary.workdayToCsvRatio})\n` +
      `  incremental, ${touched.changed} workers changed (1 %): ${summary.incrementalRead} read in ${summary.incrementalSeconds} s, peak RSS ${summary.incrementalPeakRssMb} MB (${summary.incrementalSpeedup}x faster than the full run)\n`,
  );
  process.stdout.write(`${JSON.stringify({ ...summary, pass: summary.incrementalSpeedup >= 10 })}\n`);
} finally {
  sim.kill('SIGINT');
  await server.stop();
}
