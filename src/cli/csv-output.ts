import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ReportStream } from '../pipelines/export-reports/report-stream.ts';
import { parseIsoDate } from '../shared/dates.ts';

/**
 * A --from / --to option as a Date (undefined when absent); `bad` makes the command's own error, so each
 * command keeps its error code.
 */
export function parseCliDate(v: string | undefined, field: string, bad: (detail: string, field: string) => Error): Date | undefined {
  if (v === undefined) return undefined;
  try {
    return parseIsoDate(v, field);
  } catch (e) {
    // The command's own code (e.g. LMC_ERR_REPORT_BAD_RANGE), with the strict reader's reason.
    throw bad((e as Error).message.replace(/^not a valid date: /, ''), field);
  }
}

/**
 * Streams a CSV export to stdout, or to `out` under a temporary name renamed when complete (a reader never
 * sees half a file; a failure leaves no file), then says how many rows were written.
 */
export async function writeCsvOut(rs: ReportStream, out: string | undefined): Promise<void> {
  if (!out) {
    await pipeline(rs.stream, process.stdout, { end: false });
    await rs.done;
    return;
  }
  const file = path.resolve(out);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await pipeline(rs.stream, fs.createWriteStream(tmp));
    const { rows } = await rs.done;
    await fsp.rename(tmp, file);
    process.stderr.write(`${rows} rows written to ${file}\n`);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}
