// npm run bench:salesforce — the Salesforce connector against its simulator (in this process; each measured
// step runs in its own process, whose peak RSS is reported):
//   sf-import:  "Import Internal Users" of SF_BENCH_CONTACTS Contacts (default 200,000; with managers through
//               ReportsTo), read through a Bulk API 2.0 query job (above 50,000) as the connector does,
//   csv-import: the same records as one CSV file imported by the local-directory connector (the file path),
//   floor:      the Learner Transcript of SF_BENCH_ROWS enrollments (default 1,000,000; `lmc seed`) written as CSV to disk,
//   sf-export:  "Export Learning Records" of those rows through Bulk API 2.0 ingest jobs, linked with Users.
// The simulator keeps the exported records only as counts (SF_BENCH_KEEP=1 keeps them; 1,000,000 records of
// the object take GBs). Last line: one JSON object.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { stringify } from 'csv-stringify/sync';
import { openAppContext } from '../src/app-context.ts';
import { putActionOptions } from '../src/engine/action-settings.ts';
import { createConnection } from '../src/engine/connections.ts';
import { createAccount } from '../src/platform/accounts.ts';
import { createActiveField } from '../src/platform/fields/active-fields.ts';
import { createLogger } from '../src/shared/logger.ts';
import { DEFAULT_SF_APP, startSalesforceSimulator } from '../simulators/salesforce/server.ts';
import { run, startBenchDatabase } from './bench-kit.ts';

const CONTACTS = Number(process.env.SF_BENCH_CONTACTS ?? 200_000);
const ROWS = Number(process.env.SF_BENCH_ROWS ?? 1_000_000);
const dir = process.env.BENCH_DIR ?? `/tmp/lmc-bench-salesforce-${ROWS}`;
const SLUG = 'bench-salesforce';
const dataDir = path.join(dir, 'data');
// A drop of its own per run: a folder is one account's drop only, and each run imports into new accounts.
const stamp = Date.now().toString(36);
const drop = path.join(dir, `drop-${stamp}`);
const operator = { LMC_DATA_DIR: dataDir, LMC_OUTBOUND_ALLOW_PRIVATE: 'true', LMC_LOCAL_DROP_ROOTS: dir, LMC_LOG_LEVEL: 'warn' };
Object.assign(process.env, operator);
await fs.mkdir(path.join(drop, 'import/user/internal'), { recursive: true });

const { server, url } = await startBenchDatabase(dir);
const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
try {
  const db = new pg.Client(url);
  await db.connect();
  let acc = (await db.query<{ id: string }>('select id from accounts where slug = $1', [SLUG])).rows[0];
  if (!acc) {
    process.stderr.write(`seeding ${ROWS} enrollments (lmc seed)...\n`);
    await run('node', ['bin/lmc.js', '--json', 'seed', '--users', String(Math.max(2, Math.round(ROWS / 10))), '--enrollments', String(ROWS), '--seed', '42', '--account', SLUG], { ...operator, DATABASE_URL: url });
    acc = (await db.query<{ id: string }>('select id from accounts where slug = $1', [SLUG])).rows[0];
  }
  const exportAccount = Number(acc.id);
  const learners = (await db.query<{ email: string; name: string }>('select email, name from users where account_id = $1', [exportAccount])).rows;
  await db.end();

  process.stderr.write(`starting the simulated org (${CONTACTS} contacts, ${learners.length} users)...\n`);
  const sim = await startSalesforceSimulator({ users: 1, contacts: CONTACTS, queryPageSize: 2000, publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), bulkProcessMs: 10, discardIngest: process.env.SF_BENCH_KEEP !== '1' });
  for (const l of learners) sim.store.insert('User', { Username: l.email, Email: l.email, LastName: l.name || l.email, IsActive: true });

  const ctx = await openAppContext({ dbUrl: url, log: createLogger('warn'), poolSize: 4 });
  const settings = (importFrom: Record<string, unknown>) => ({ orgUrl: sim.url, auth: { method: 'jwt-bearer', clientId: DEFAULT_SF_APP.clientId, username: sim.store.adminUsername, privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, importFrom });
  // Import accounts: fresh each time (a first import of every contact).
  const importAccount = async (name: string) => {
    const a = await createAccount(ctx.db, { name: `${name} ${stamp}` });
    await createActiveField(ctx.db, a.id, { name: 'Department', kind: 'csv', groupable: true });
    return a.id;
  };
  const mapping = { mapping: { email: 'Email', name: 'Name', manager: 'ReportsTo.Email', userType: null, profile: { title: 'Title' }, fields: { Department: 'Department' } } };
  const sfAccount = await importAccount('SF import');
  const sfConn = (await createConnection(ctx, { accountId: sfAccount, userId: null }, { connectorId: 'salesforce', name: 'Contacts', settings: settings({ object: 'Contact' }) })).id;
  await putActionOptions(ctx, sfAccount, sfConn, 'import-users', mapping);
  const csvAccount = await importAccount('CSV import');
  const csvConn = (await createConnection(ctx, { accountId: csvAccount, userId: null }, { connectorId: 'local-directory', name: 'Contacts CSV', settings: { root: drop } })).id;
  await putActionOptions(ctx, csvAccount, csvConn, 'import-users', { mapping: { ...mapping.mapping, manager: 'ReportsTo.Email' } });
  const exConn = (await createConnection(ctx, { accountId: exportAccount, userId: null }, { connectorId: 'salesforce', name: `Transcripts ${stamp}`, settings: settings({ object: 'User' }) })).id;
  await putActionOptions(ctx, exportAccount, exConn, 'export-learning-records', { linkWith: 'User' });
  await ctx.close();

  // The same contacts as a CSV file (the columns the mapping names).
  const contacts = sim.store.all('Contact');
  const byId = new Map(contacts.map((c) => [c.Id, c]));
  const csv = stringify([['Email', 'Name', 'ReportsTo.Email', 'Title', 'Department'], ...contacts.map((c) => [c.Email, c.Name, c.ReportsToId ? byId.get(c.ReportsToId)?.Email : '', c.Title, c.Department])]);
  await fs.writeFile(path.join(drop, 'import/user/internal/contacts.csv'), csv);

  type M = { rows: number; ms: number; peakRssMb: number; bytes?: number; status?: string };
  const step = async (label: string, args: string[]): Promise<M> => {
    // BENCH_CPU_PROF=<dir>: each step writes a V8 CPU profile there (open it in Chrome DevTools).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, `--cpu-prof-name=${label}.cpuprofile`] : [];
    const m = JSON.parse((await run('node', [...prof, '--import', 'tsx', 'bench/salesforce-run.ts', ...args], { ...operator, DATABASE_URL: url })).trim().split('\n').pop()!) as M;
    process.stderr.write(`${label.padEnd(10)} ${m.rows} rows in ${(m.ms / 1000).toFixed(1)} s = ${Math.round(m.rows / (m.ms / 1000))} rows/s, peak RSS ${m.peakRssMb.toFixed(0)} MB${m.status ? ` (${m.status})` : ''}\n`);
    return m;
  };
  const sfImport = await step('sf-import', ['run', String(sfAccount), String(sfConn), 'import-users']);
  const csvImport = await step('csv-import', ['run', String(csvAccount), String(csvConn), 'import-users']);
  const floor = await step('floor', ['floor', String(exportAccount), path.join(dir, 'transcript.csv')]);
  const sfExport = await step('sf-export', ['run', String(exportAccount), String(exConn), 'export-learning-records']);
  await sim.close();
  const rate = (m: M) => Math.round(m.rows / (m.ms / 1000));
  const summary = {
    bench: 'salesforce',
    contacts: CONTACTS,
    transcriptRows: floor.rows,
    sfImportRowsPerSec: rate(sfImport),
    csvImportRowsPerSec: rate(csvImport),
    importRatio: +(rate(sfImport) / rate(csvImport)).toFixed(3),
    sfImportPeakRssMb: Math.round(sfImport.peakRssMb),
    csvImportPeakRssMb: Math.round(csvImport.peakRssMb),
    floorRowsPerSec: rate(floor),
    sfExportRowsPerSec: rate(sfExport),
    exportRatio: +(rate(sfExport) / rate(floor)).toFixed(3),
    floorPeakRssMb: Math.round(floor.peakRssMb),
    sfExportPeakRssMb: Math.round(sfExport.peakRssMb),
    exportStatus: sfExport.status,
  };
  process.stdout.write(
    `Salesforce import of ${CONTACTS} contacts: ${summary.sfImportRowsPerSec} rows/s (CSV of the same: ${summary.csvImportRowsPerSec} rows/s, ratio ${summary.importRatio}); peak RSS ${summary.sfImportPeakRssMb} MB (CSV ${summary.csvImportPeakRssMb} MB)\n` +
      `Salesforce export of ${summary.transcriptRows} transcript rows: ${summary.sfExportRowsPerSec} rows/s (CSV to disk: ${summary.floorRowsPerSec} rows/s, ratio ${summary.exportRatio}); peak RSS ${summary.sfExportPeakRssMb} MB (floor ${summary.floorPeakRssMb} MB)\n`,
  );
  process.stdout.write(JSON.stringify(summary) + '\n');
} finally {
  await server.stop();
}
