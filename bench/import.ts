// npm run bench:import — "Import Internal Users" of 1,000,000 users (BENCH_USERS) from 3 CSV files: 12 columns,
// a six-level manager hierarchy (managers come later in the files than their reports), 4 group-able active fields.
// Measures, each step in its own process (peak RSS of that process):
//   floor:    a plain COPY of the same files into an unlogged table (no processing),
//   scan:     the import's Node side alone (CSV scanner + row writer), no database,
//   import:   the import-users action through the engine and the local-directory connector (first import),
//   groups:   reads of the derived group membership at that size (members pages, counts, a user's groups),
//   reimport: the same files again (nothing changed: no user is rewritten),
//   sftp:     (BENCH_SFTP=0 skips it) the files uploaded with an SFTP client to the hosted SFTP server (src/sftp-server),
//             then imported into a second account by the custom-ftp connector reading them over SFTP from it,
//   write:    what storing the users costs by itself: the imported users inserted again into another account by one
//             INSERT ... SELECT (no file, no check, no plan), rolled back.
// Prints rows/s beside the floor, the ratio and peak RSS; the last line is one JSON object.
// Server: the embedded PostgreSQL (17), or the one BENCH_DATABASE_URL names (docs/operations.md: bench on 15).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import SftpClient from 'ssh2-sftp-client';
import { loadConfig } from '../src/config.ts';
import { createResetToken, resetHostedPassword } from '../src/kit/file-sources/hosted-drop.ts';
import { startSftpServer } from '../src/sftp-server/server.ts';
import { openAppContext } from '../src/app-context.ts';
import { withDatabase } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { prepareDatabase } from '../src/db/prepare.ts';
import { createConnection } from '../src/engine/connections.ts';
import { putActionOptions } from '../src/engine/action-settings.ts';
import { createAccount } from '../src/platform/accounts.ts';
import { createActiveField } from '../src/platform/fields/active-fields.ts';
import { createLogger } from '../src/shared/logger.ts';

const N = Number(process.env.BENCH_USERS ?? 1_000_000);
const FILES = 3;
const dir = process.env.BENCH_DIR ?? `/tmp/lmc-bench-import-${N}`;
const drop = path.join(dir, 'drop');
const inbox = path.join(drop, 'import/user/internal');
const stash = path.join(dir, 'files');
const dataDir = path.join(dir, 'data');
const SFTP = process.env.BENCH_SFTP !== '0';
const MAPPING_OPTIONS = {
  mapping: {
    email: 'Email', name: 'Name', manager: 'Manager', userType: 'UserType',
    profile: { profile: 'Profile', title: 'Title', location: 'Location', phone: 'Phone' },
    fields: { Department: 'Department', Region: 'Region', Grade: 'Grade', CostCenter: 'CostCenter' },
  },
};

/**
 * One step in a process of its own, on a settled database: the maintenance the previous step set off is done
 * first, not during the step measured. VACUUM ANALYZE of the users does what autovacuum starts after a large
 * import (in a product it has long finished before the next day's import; here it ran during the re-import,
 * which then measured 2.5-4.6 s for the same COPY); a CHECKPOINT writes the buffers the previous step dirtied
 * (a first import leaves ~1.5 GB); sync writes the files the bench has just put in the drop (their write-back
 * otherwise overlaps the step).
 */
async function run(args: string[], env: Record<string, string>): Promise<Record<string, any>> {
  const c = new pg.Client(env.DATABASE_URL);
  await c.connect();
  await c.query('vacuum (analyze) users');
  await c.query('checkpoint');
  execFileSync('sync'); // and the files the bench just copied into the drop are on disk
  await c.end();
  return new Promise((resolve, reject) =>
    execFile('node', ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 3600_000 }, (e, out, err) =>
      e ? reject(new Error(`${args.join(' ')} failed: ${err || e.message}`)) : resolve(JSON.parse(out.trim().split('\n').pop()!)),
    ),
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// Six levels: 1, 10, 100, 1,000, 10,000 managers, everyone else at the bottom.
const LEVEL_SIZES = [1, 10, 100, 1000, 10000];
const starts: number[] = [];
{
  let s = 0;
  for (const n of LEVEL_SIZES) {
    starts.push(s);
    s += n;
  }
  starts.push(s);
}
function managerOf(i: number): number | null {
  if (i === 0) return null;
  let k = starts.length - 1;
  while (starts[k] > i) k--;
  const size = LEVEL_SIZES[k - 1];
  return starts[k - 1] + ((i - starts[k]) % size);
}

const HEADER = 'Email,Name,Manager,UserType,Profile,Title,Location,Phone,Department,Region,Grade,CostCenter';
const row = (i: number) => {
  const m = managerOf(i);
  return `u${i}@bench.example,"User ${i}, Bench",${m === null ? '' : `u${m}@bench.example`},internal,Profile ${i % 7},Title ${i % 50},City ${i % 100},+1 555 ${String(i).padStart(7, '0')},Dept ${i % 20},Region ${i % 10},G${i % 6},CC${i % 200}\n`;
};

/** Writes the files in descending id order: every report comes before its manager. */
async function generate(): Promise<void> {
  await fsp.mkdir(stash, { recursive: true });
  const per = Math.ceil(N / FILES);
  for (let f = 0; f < FILES; f++) {
    const w = fs.createWriteStream(path.join(stash, `users-${f + 1}.csv`));
    w.write(HEADER + '\n');
    const hi = N - 1 - f * per;
    const lo = Math.max(0, hi - per + 1);
    let buf = '';
    for (let i = hi; i >= lo; i--) {
      buf += row(i);
      if (buf.length > 1 << 20) {
        if (!w.write(buf)) await once(w, 'drain');
        buf = '';
      }
    }
    w.end(buf);
    await once(w, 'finish');
  }
}

async function restoreFiles(): Promise<void> {
  await fsp.mkdir(inbox, { recursive: true });
  for (const f of await fsp.readdir(stash)) await fsp.copyFile(path.join(stash, f), path.join(inbox, f));
}

await fsp.rm(dir, { recursive: true, force: true });
await fsp.mkdir(drop, { recursive: true });
process.stderr.write(`generating ${N} users in ${FILES} files...\n`);
await generate();
const bytes = (await fsp.readdir(stash)).reduce((s, f) => s + fs.statSync(path.join(stash, f)).size, 0);
// BENCH_DATABASE_URL: an external server (a URL whose user may create databases, e.g. Debian's PostgreSQL 15)
// instead of the embedded one; the bench creates its own database there and drops it at the end.
const external = process.env.BENCH_DATABASE_URL;
const dbName = external ? `lmc_bench_import_${process.pid}` : 'lmc';
const server = external
  ? { url: external, stop: async () => {
      const c = new pg.Client(external);
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    } }
  : await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), ephemeral: true });
try {
  const admin = new pg.Client(server.url);
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  process.stderr.write(`server: ${(await admin.query('select version()')).rows[0].version}\n`);
  await admin.end();
  const url = withDatabase(server.url, dbName);
  await prepareDatabase(url);
  // The bench is its own operator: its drop is a folder of /tmp and its SFTP server is on loopback.
  const operator = { LMC_LOCAL_DROP_ROOTS: dir, LMC_OUTBOUND_ALLOW_PRIVATE: 'true' };
  const config = loadConfig({ ...process.env, ...operator, LMC_DATA_DIR: dataDir, DATABASE_URL: url });
  const ctx = await openAppContext({ config, dbUrl: url, log: createLogger('warn'), poolSize: 4 });
  const newAccount = async (name: string) => {
    const a = await createAccount(ctx.db, { name });
    for (const f of ['Department', 'Region', 'Grade', 'CostCenter']) await createActiveField(ctx.db, a.id, { name: f, kind: 'csv', groupable: true });
    return a;
  };
  const account = await newAccount('Bench import');
  const conn = await createConnection(ctx, { accountId: account.id, userId: null }, { connectorId: 'local-directory', name: 'Bench drop', settings: { root: drop } });
  await putActionOptions(ctx, account.id, conn.id, 'import-users', MAPPING_OPTIONS);
  await restoreFiles();
  const env = { ...operator, DATABASE_URL: url, LMC_LOG_LEVEL: 'warn', LMC_DATA_DIR: dataDir };
  const floor = await run(['bench/import-run.ts', 'floor', drop], env);
  process.stderr.write(`floor: ${floor.rows} rows in ${(floor.ms / 1000).toFixed(1)} s\n`);
  const scan = await run(['bench/import-run.ts', 'scan', drop, String(account.id), String(conn.id)], env);
  process.stderr.write(`csv scanner + row writer alone: ${scan.rows} rows in ${(scan.ms / 1000).toFixed(1)} s (pass-through ${(scan.passThroughMs / 1000).toFixed(1)} s)\n`);
  const first = await run(['bench/import-run.ts', 'import', drop, String(account.id), String(conn.id)], env);
  process.stderr.write(`import: ${JSON.stringify(first)}\n`);
  if (first.status !== 'completed' || first.counts.created !== N) throw new Error(`first import did not create ${N} users: ${JSON.stringify(first)}`);
  if (fs.existsSync(inbox) && (await fsp.readdir(inbox)).some((f) => f.endsWith('.csv'))) throw new Error('processed files were not deleted');
  const groups = await run(['bench/import-run.ts', 'groups', drop, String(account.id)], env);
  process.stderr.write(`group reads: ${JSON.stringify(groups)}\n`);
  await restoreFiles();
  const again = await run(['bench/import-run.ts', 'import', drop, String(account.id), String(conn.id)], env);
  process.stderr.write(`re-import: ${JSON.stringify(again)}\n`);
  if (again.status !== 'completed' || again.counts.unchanged !== N) throw new Error(`re-import did not find ${N} unchanged users: ${JSON.stringify(again)}`);

  let sftp: Record<string, any> | undefined;
  let uploadMs = 0;
  if (SFTP) {
    // The hosted SFTP service of this product, a login for a second account, the files uploaded by an SFTP
    // client, then imported by the custom-ftp connector reading them from that server over SFTP.
    const server = await startSftpServer({ db: ctx.db, dataDir, log: ctx.log, host: '127.0.0.1', port: 0 });
    try {
      const acc2 = await newAccount('Bench SFTP');
      await createConnection(ctx, { accountId: acc2.id, userId: null }, { connectorId: 'ftp', name: 'Hosted FTP', settings: { email: 'ops@bench.example' } });
      const password = 'bench-password-' + Date.now();
      const { token, username } = await createResetToken(ctx.db, acc2.id);
      await resetHostedPassword(ctx.db, token, password);
      const client = new SftpClient('bench');
      await client.connect({ host: '127.0.0.1', port: server.port, username, password });
      const t0 = performance.now();
      for (const f of (await fsp.readdir(stash)).sort()) await client.fastPut(path.join(stash, f), `/Home/import/user/internal/${f}`);
      uploadMs = performance.now() - t0;
      await client.end();
      const c2 = await createConnection(ctx, { accountId: acc2.id, userId: null }, {
        connectorId: 'custom-ftp', name: 'Hosted drop over SFTP',
        settings: { host: '127.0.0.1', port: server.port, username, authType: 'basic', password, basePath: '/Home' },
      });
      await putActionOptions(ctx, acc2.id, c2.id, 'import-users', MAPPING_OPTIONS);
      sftp = await run(['bench/import-run.ts', 'import', drop, String(acc2.id), String(c2.id)], env);
      process.stderr.write(`sftp import: ${JSON.stringify(sftp)}\n`);
      if (sftp.status !== 'completed' || sftp.counts.created !== N) throw new Error(`the import over SFTP did not create ${N} users: ${JSON.stringify(sftp)}`);
    } finally {
      await server.stop();
    }
  }
  const write = await run(['bench/import-run.ts', 'write', drop, String(account.id)], env);
  process.stderr.write(`write alone: ${JSON.stringify(write)}\n`);
  await ctx.close();

  const rate = (m: Record<string, any>) => Math.round(m.rows / (m.ms / 1000));
  const summary = {
    bench: 'import',
    users: N,
    files: FILES,
    columns: 12,
    csvMB: +(bytes / 1e6).toFixed(1),
    floorRowsPerSec: rate(floor),
    importRowsPerSec: rate(first),
    importRatio: +(rate(first) / rate(floor)).toFixed(3),
    importSeconds: +(first.ms / 1000).toFixed(2),
    reimportRowsPerSec: rate(again),
    reimportRatio: +(rate(again) / rate(floor)).toFixed(3),
    reimportSeconds: +(again.ms / 1000).toFixed(2),
    reimportSpeedup: +(first.ms / again.ms).toFixed(2),
    floorMBPerSec: Math.round(bytes / 1e6 / (floor.ms / 1000)),
    scannerMBPerSec: Math.round(bytes / 1e6 / (scan.ms / 1000)),
    passThroughMBPerSec: Math.round(bytes / 1e6 / (scan.passThroughMs / 1000)),
    importPhasesMs: first.phasesMs,
    groupReadsMs: Object.fromEntries(Object.entries(groups).filter(([k]) => k.endsWith('Ms'))),
    floorPeakRssMb: Math.round(floor.peakRssMb),
    importPeakRssMb: Math.round(first.peakRssMb),
    reimportPeakRssMb: Math.round(again.peakRssMb),
    sftpUploadSeconds: sftp ? +(uploadMs / 1000).toFixed(2) : null,
    sftpImportRowsPerSec: sftp ? rate(sftp) : null,
    sftpImportRatio: sftp ? +(rate(sftp) / rate(floor)).toFixed(3) : null,
    sftpImportSeconds: sftp ? +(sftp.ms / 1000).toFixed(2) : null,
    sftpImportPeakRssMb: sftp ? Math.round(sftp.peakRssMb) : null,
    writeRowsPerSec: rate(write),
    writeRatio: +(rate(write) / rate(floor)).toFixed(3),
    writeSeconds: +(write.ms / 1000).toFixed(2),
    targets: { rowsPerSec: 50_000, ratio: 0.3, peakRssMb: 300, reimportSpeedup: 2 },
  };
  const peak = Math.max(summary.importPeakRssMb, summary.reimportPeakRssMb, summary.sftpImportPeakRssMb ?? 0);
  const pass = summary.importRowsPerSec >= 50_000 && summary.importRatio >= 0.3 && peak < 300 && summary.reimportSpeedup >= 2;
  process.stdout.write(
    `import of ${N} users, ${FILES} files, ${summary.csvMB} MB (local directory):\n` +
      `  floor (plain COPY into an unlogged table): ${summary.floorRowsPerSec} rows/s (${summary.floorMBPerSec} MB/s), peak RSS ${summary.floorPeakRssMb} MB\n` +
      `  Node side alone (csv-to-copy.ts + row-writer.ts, no database): ${summary.scannerMBPerSec} MB/s (scanner passing records through: ${summary.passThroughMBPerSec} MB/s)\n` +
      `  first import:                              ${summary.importRowsPerSec} rows/s (ratio ${summary.importRatio}), ${summary.importSeconds} s, peak RSS ${summary.importPeakRssMb} MB\n` +
      `  unchanged re-import:                       ${summary.reimportRowsPerSec} rows/s (ratio ${summary.reimportRatio}), ${summary.reimportSeconds} s (${summary.reimportSpeedup}x faster), peak RSS ${summary.reimportPeakRssMb} MB\n` +
      (sftp
        ? `  hosted SFTP: upload ${summary.sftpUploadSeconds} s; import read over SFTP: ${summary.sftpImportRowsPerSec} rows/s (ratio ${summary.sftpImportRatio}), ${summary.sftpImportSeconds} s, peak RSS ${summary.sftpImportPeakRssMb} MB\n`
        : '  hosted SFTP: skipped (BENCH_SFTP=0)\n') +
      `  storing the users alone (one INSERT ... SELECT of the imported users into another account, rolled back):\n` +
      `                                             ${summary.writeRowsPerSec} rows/s (ratio ${summary.writeRatio}), ${summary.writeSeconds} s: the first import takes ${(first.ms / write.ms).toFixed(2)}x that\n` +
      `  group reads after the first import (ms, median of 3): ${JSON.stringify(summary.groupReadsMs)} ${JSON.stringify(groups.groups)}\n` +
      `  phases (ms) first: ${JSON.stringify(first.phasesMs)}\n  phases (ms) re-import: ${JSON.stringify(again.phasesMs)}\n`,
  );
  process.stdout.write(JSON.stringify({ ...summary, pass }) + '\n');
} finally {
  await server.stop();
}
