// One measurement of bench/export.ts, in its own process so its peak RSS is the export's alone.
// Usage: DATABASE_URL=... node --import tsx bench/export-run.ts <floor|csv|zip> <accountId> <outDir>
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { openAppContext } from '../src/app-context.ts';
import { LocalDirectorySource } from '../src/kit/file-sources/local-directory.ts';
import { exportFileName } from '../src/pipelines/export-reports/export-file-name.ts';
import { exportToDrop } from '../src/pipelines/export-reports/export-to-drop.ts';
import { buildReportSelect, copyCsv } from '../src/pipelines/export-reports/report-stream.ts';
import { createLogger } from '../src/shared/logger.ts';

const [mode, account, outDir] = process.argv.slice(2);
const accountId = Number(account);
const ctx = await openAppContext({ dbUrl: process.env.DATABASE_URL!, log: createLogger('warn'), poolSize: 2 });
const until = new Date();
const t0 = performance.now();
let rows = 0;
let bytes = 0;
if (mode === 'floor') {
  // The floor: the very same COPY (SELECT ...) TO STDOUT, streamed into /dev/null.
  const client = await ctx.pool.connect();
  const select = await buildReportSelect(client, 'learner-transcript', { accountId });
  const stream = client.query(copyStreams.to(copyCsv(select.sql)));
  stream.on('data', (b: Buffer) => (bytes += b.length));
  await pipeline(stream, fs.createWriteStream('/dev/null'));
  await client.query('select 1');
  rows = stream.rowCount;
  client.release();
} else {
  const files = new LocalDirectorySource(outDir);
  const out = await exportToDrop(ctx, files, {
    report: 'learner-transcript',
    params: { accountId },
    location: 'bench',
    fileName: exportFileName('learner_transcript', null, until),
    zip: mode === 'zip',
  });
  rows = out.rows;
  bytes = fs.statSync(`${outDir}/${out.path}`).size;
  fs.rmSync(`${outDir}/${out.path}`);
}
const ms = performance.now() - t0;
await ctx.close();
process.stdout.write(JSON.stringify({ mode, rows, ms, bytes, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
