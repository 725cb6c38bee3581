// One measurement of bench/xapi-export.ts, in its own process so its peak RSS is the export's alone.
// Usage: DATABASE_URL=... node --import tsx bench/xapi-export-run.ts <floor|csv|zip> <accountId> <configId> <outDir>
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { openAppContext } from '../src/app-context.ts';
import { LocalDirectorySource } from '../src/kit/file-sources/local-directory.ts';
import { streamToDrop } from '../src/pipelines/export-reports/export-to-drop.ts';
import { copyCsv } from '../src/pipelines/export-reports/report-stream.ts';
import { getXapiExportConfig } from '../src/pipelines/export-xapi/export-config.ts';
import { xapiExportSelect } from '../src/pipelines/export-xapi/export-query.ts';
import { openXapiExportStream } from '../src/pipelines/export-xapi/export-stream.ts';
import { xapiExportFileName } from '../src/pipelines/export-xapi/export-xapi-action.ts';
import { createLogger } from '../src/shared/logger.ts';

const [mode, account, config, outDir] = process.argv.slice(2);
const accountId = Number(account);
const ctx = await openAppContext({ dbUrl: process.env.DATABASE_URL!, log: createLogger('warn'), poolSize: 2 });
const { columns } = await getXapiExportConfig(ctx.db, accountId, Number(config));
const until = new Date();
const t0 = performance.now();
let rows = 0;
let bytes = 0;
if (mode === 'floor') {
  // The floor: the very same COPY (SELECT ...) TO STDOUT, streamed into /dev/null.
  const client = await ctx.pool.connect();
  const stream = client.query(copyStreams.to(copyCsv(xapiExportSelect(columns, { accountId, to: until }).sql)));
  stream.on('data', (b: Buffer) => (bytes += b.length));
  await pipeline(stream, fs.createWriteStream('/dev/null'));
  await client.query('select 1');
  rows = stream.rowCount;
  client.release();
} else if (mode === 'raw') {
  // A second reference: the statements' JSON as stored, without any path extraction.
  const client = await ctx.pool.connect();
  const stream = client.query(copyStreams.to(`copy (select statement from lrs_statements s where s.account_id = ${accountId} and not s.voided order by s.stored, s.seq) to stdout`));
  stream.on('data', (b: Buffer) => (bytes += b.length));
  await pipeline(stream, fs.createWriteStream('/dev/null'));
  await client.query('select 1');
  rows = stream.rowCount;
  client.release();
} else {
  const files = new LocalDirectorySource(outDir);
  const out = await streamToDrop(files, { location: 'bench', fileName: xapiExportFileName(null, until), zip: mode === 'zip', date: until }, () =>
    openXapiExportStream(ctx, columns, { accountId, to: until }),
  );
  rows = out.rows;
  bytes = fs.statSync(`${outDir}/${out.path}`).size;
  fs.rmSync(`${outDir}/${out.path}`);
}
const ms = performance.now() - t0;
await ctx.close();
process.stdout.write(JSON.stringify({ mode, rows, ms, bytes, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
