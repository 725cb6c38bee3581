// npm run bench:api-import — "Import Internal Users" of 100,000 Microsoft Entra ID users (BENCH_USERS) read
// from the Graph simulator (simulators/graph) in pages of 999, through the engine and the entra-id connector.
// Each step runs in its own process (peak RSS of that process); the simulator runs in this one.
//   fetch:  the floor: the same Graph pages fetched and parsed by the kit's client, no import (bench/api-fetch-run.ts),
//   csv:    the CSV import of the same users (same mapping, same manager tree) by the local-directory connector,
//   api:    the Entra ID import, first run (full read: /users with $select and $expand=manager),
//   delta:  a second Entra ID run after 1 % of the users changed (reads /users/delta: only the changes).
// Prints rows/s beside the floors, the ratios and peak RSS; the last line is one JSON object.
// Targets (issue 14): API import >= 0.5 x the CSV import's rate, RSS < 300 MB, delta >= 10x faster than full.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_GRAPH_APP, startGraphSimulator } from '../simulators/graph/server.ts';
import { openAppContext } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import { putActionOptions } from '../src/engine/action-settings.ts';
import { createConnection } from '../src/engine/connections.ts';
import { createAccount } from '../src/platform/accounts.ts';
import { createActiveField } from '../src/platform/fields/active-fields.ts';
import { createLogger } from '../src/shared/logger.ts';
import { startBenchDatabase } from './bench-kit.ts';

const N = Number(process.env.BENCH_USERS ?? 100_000);
const CHANGED = Math.max(1, Math.round(N / 100));
const dir = process.env.BENCH_DIR ?? `/tmp/lmc-bench-api-import-${N}`;
const drop = path.join(dir, 'drop');
const inbox = path.join(drop, 'import/user/internal');
const dataDir = path.join(dir, 'data');

/** One step in a child process; its last stdout line is JSON. The database is settled first (bench/import.ts). */
async function step(args: string[], env: Record<string, string>): Promise<Record<string, any>> {
  const c = new pg.Client(env.DATABASE_URL);
  await c.connect();
  await c.query('vacuum (analyze) users');
  await c.query('checkpoint');
  await c.end();
  execFileSync('sync');
  return new Promise((resolve, reject) =>
    execFile('node', [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), '--import', 'tsx', ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 3600_000 }, (e, out, err) =>
      e ? reject(new Error(`${args.join(' ')} failed: ${err || e.message}`)) : resolve(JSON.parse(out.trim().split('\n').pop()!)),
    ),
  );
}

const csvCell = (v: string | null | undefined) => (v == null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

await fsp.rm(dir, { recursive: true, force: true });
await fsp.mkdir(inbox, { recursive: true });
process.stderr.write(`simulating a tenant of ${N} users...\n`);
const sim = await startGraphSimulator({ users: N, seed: 2026, tokenTtlSeconds: 3599 });
const { server, url } = await startBenchDatabase(dir);
try {
  // The same users as a CSV drop: the floor an API import is compared with.
  const lines = ['Email,Name,Manager,Title,Department'];
  for (const u of sim.store.all()) lines.push([u.mail, u.displayName, sim.store.managerOf(u.id)?.mail, u.jobTitle, u.department].map(csvCell).join(','));
  await fsp.writeFile(path.join(inbox, 'users.csv'), lines.join('\n') + '\n');
  const csvMB = fs.statSync(path.join(inbox, 'users.csv')).size / 1e6;

  const operator = { LMC_LOCAL_DROP_ROOTS: dir, LMC_OUTBOUND_ALLOW_PRIVATE: 'true' };
  const config = loadConfig({ ...process.env, ...operator, LMC_DATA_DIR: dataDir, DATABASE_URL: url });
  const ctx = await openAppContext({ config, dbUrl: url, log: createLogger('warn'), poolSize: 4 });
  const newAccount = async (name: string) => {
    const a = await createAccount(ctx.db, { name });
    await createActiveField(ctx.db, a.id, { name: 'Department', kind: 'csv', groupable: true });
    return a;
  };
  const csvAccount = await newAccount('Bench CSV');
  const csvConn = await createConnection(ctx, { accountId: csvAccount.id, userId: null }, { connectorId: 'local-directory', name: 'Bench drop', settings: { root: drop } });
  await putActionOptions(ctx, csvAccount.id, csvConn.id, 'import-users', { mapping: { email: 'Email', name: 'Name', manager: 'Manager', userType: null, profile: { title: 'Title' }, fields: { Department: 'Department' } } });
  const apiAccount = await newAccount('Bench Entra');
  const apiConn = await createConnection(ctx, { accountId: apiAccount.id, userId: null }, {
    connectorId: 'entra-id', name: 'Bench tenant',
    settings: { tenantId: DEFAULT_GRAPH_APP.tenantId, auth: { clientId: DEFAULT_GRAPH_APP.clientId, clientSecret: DEFAULT_GRAPH_APP.clientSecret }, graphBaseUrl: `${sim.url}/v1.0`, loginBaseUrl: sim.url },
  });
  await putActionOptions(ctx, apiAccount.id, apiConn.id, 'import-users', { mapping: { email: 'mail', name: 'displayName', manager: 'manager.mail', userType: null, profile: { title: 'jobTitle' }, fields: { Department: 'department' } } });
  await ctx.close();
  const env = { ...operator, DATABASE_URL: url, LMC_LOG_LEVEL: 'warn', LMC_DATA_DIR: dataDir };

  const fetch = await step(['bench/api-fetch-run.ts', sim.url, DEFAULT_GRAPH_APP.tenantId, DEFAULT_GRAPH_APP.clientId, DEFAULT_GRAPH_APP.clientSecret], env);
  process.stderr.write(`fetch floor: ${JSON.stringify(fetch)}\n`);
  const csv = await step(['bench/import-run.ts', 'import', drop, String(csvAccount.id), String(csvConn.id)], env);
  process.stderr.write(`csv import: ${JSON.stringify({ ...csv, logAtMs: undefined })}\n`);
  if (csv.status !== 'completed' || csv.counts.created !== N) throw new Error(`the CSV import did not create ${N} users: ${JSON.stringify(csv)}`);
  await fsp.mkdir(inbox, { recursive: true }); // import-run lists the inbox (the CSV import emptied it)
  const api = await step(['bench/import-run.ts', 'import', drop, String(apiAccount.id), String(apiConn.id)], env);
  process.stderr.write(`api import: ${JSON.stringify({ ...api, logAtMs: undefined })}\n`);
  if (api.status !== 'completed' || api.counts.created !== N) throw new Error(`the Entra ID import did not create ${N} users: ${JSON.stringify(api)}`);

  // 1 % of the tenant changes (new job titles), then the next run reads only the changes.
  const all = sim.store.all();
  for (let i = 0; i < CHANGED; i++) {
    const u = all[Math.floor((i * all.length) / CHANGED)];
    sim.store.update(u.id, { jobTitle: `${u.jobTitle} (changed)` });
  }
  const requestsBefore = sim.log.entries.length;
  const delta = await step(['bench/import-run.ts', 'import', drop, String(apiAccount.id), String(apiConn.id)], env);
  const deltaCalls = sim.log.entries.slice(requestsBefore).map((e) => e.path);
  process.stderr.write(`delta run: ${JSON.stringify({ ...delta, logAtMs: undefined })} calls ${JSON.stringify(deltaCalls)}\n`);
  if (delta.status !== 'completed' || delta.counts.updated !== CHANGED) throw new Error(`the delta run did not update ${CHANGED} users: ${JSON.stringify(delta)}`);

  const rate = (m: Record<string, any>, rows = m.rows) => Math.round(rows / (m.ms / 1000));
  const summary = {
    bench: 'api-import',
    users: N,
    pageSize: 999,
    pages: fetch.pages,
    csvMB: +csvMB.toFixed(1),
    fetchRowsPerSec: rate(fetch),
    fetchSeconds: +(fetch.ms / 1000).toFixed(2),
    fetchPeakRssMb: Math.round(fetch.peakRssMb),
    csvImportRowsPerSec: rate(csv),
    csvImportSeconds: +(csv.ms / 1000).toFixed(2),
    csvImportPeakRssMb: Math.round(csv.peakRssMb),
    apiImportRowsPerSec: rate(api),
    apiImportSeconds: +(api.ms / 1000).toFixed(2),
    apiImportPeakRssMb: Math.round(api.peakRssMb),
    apiToCsvRatio: +(rate(api) / rate(csv)).toFixed(3),
    apiToFetchRatio: +(rate(api) / rate(fetch)).toFixed(3),
    apiImportPhasesMs: api.phasesMs,
    deltaChangedUsers: CHANGED,
    deltaSeconds: +(delta.ms / 1000).toFixed(2),
    deltaPeakRssMb: Math.round(delta.peakRssMb),
    deltaGraphCalls: deltaCalls.length,
    deltaSpeedup: +(api.ms / delta.ms).toFixed(2),
    targets: { apiToCsvRatio: 0.5, peakRssMb: 300, deltaSpeedup: 10 },
  };
  const pass = summary.apiToCsvRatio >= 0.5 && Math.max(summary.apiImportPeakRssMb, summary.deltaPeakRssMb) < 300 && summary.deltaSpeedup >= 10;
  process.stdout.write(
    `Entra ID import of ${N} users (Graph simulator, pages of 999):\n` +
      `  floor: Graph pages fetched and parsed, no import: ${summary.fetchRowsPerSec} rows/s, ${summary.fetchSeconds} s (${summary.pages} pages), peak RSS ${summary.fetchPeakRssMb} MB\n` +
      `  floor: CSV import of the same users:              ${summary.csvImportRowsPerSec} rows/s, ${summary.csvImportSeconds} s, peak RSS ${summary.csvImportPeakRssMb} MB\n` +
      `  Entra ID import (full read):                      ${summary.apiImportRowsPerSec} rows/s, ${summary.apiImportSeconds} s, peak RSS ${summary.apiImportPeakRssMb} MB (ratio to CSV ${summary.apiToCsvRatio}, to fetch ${summary.apiToFetchRatio})\n` +
      `  delta run, ${CHANGED} users changed (1 %):          ${summary.deltaSeconds} s, ${summary.deltaGraphCalls} Graph calls, peak RSS ${summary.deltaPeakRssMb} MB (${summary.deltaSpeedup}x faster than the full run)\n` +
      `  phases (ms) of the full API import: ${JSON.stringify(api.phasesMs)}\n`,
  );
  process.stdout.write(JSON.stringify({ ...summary, pass }) + '\n');
} finally {
  await sim.close();
  await server.stop();
}
