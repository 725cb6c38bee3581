import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CsvToCopy } from '../../kit/csv/csv-to-copy.ts';
import { readCsv } from '../../kit/csv/read-csv.ts';
import { UserImportErrors } from './errors.ts';

/** A CSV file of the import: its name (for the error report) and how to open it (possibly twice). */
export interface ImportFile {
  name: string;
  open(): Promise<Readable>;
}

/** Where each CSV column of one file goes in the staging table. */
export interface FileLayout {
  file: ImportFile;
  fileNo: number;
  header: string[];
  /** staging column per header position: c<k> for a required column, x<j> for one we do not read */
  targets: string[];
}

export const RAW = 'lmc_ui_raw';

/** Staging column of the k-th required column. */
export const col = (k: number) => `c${k}`;

/**
 * Reads the header row of every file and checks each has every required column, BEFORE anything is
 * loaded: a file lacking columns fails the whole import with the list of what is missing where.
 * Column names match after trimming, case-insensitively.
 */
export async function layoutFiles(files: ImportFile[], required: string[]): Promise<FileLayout[]> {
  const out: FileLayout[] = [];
  const missing: Array<{ file: string; columns: string[] }> = [];
  for (const [i, file] of files.entries()) {
    const input = await file.open();
    let header: string[];
    try {
      header = (await readCsv(input, file.name)).header;
    } finally {
      input.destroy();
    }
    const lower = header.map((h) => h.toLowerCase());
    const lack = required.filter((c) => !lower.includes(c.toLowerCase()));
    if (lack.length) missing.push({ file: file.name, columns: lack });
    const used = new Set<number>();
    let junk = 0;
    const targets = lower.map((h) => {
      const k = required.findIndex((c) => c.toLowerCase() === h);
      if (k >= 0 && !used.has(k)) {
        used.add(k);
        return col(k);
      }
      return `x${junk++}`;
    });
    out.push({ file, fileNo: i + 1, header, targets });
  }
  if (missing.length) {
    throw UserImportErrors.MISSING_COLUMNS.create({
      detail: missing.map((m) => `${m.file} lacks ${m.columns.map((c) => `"${c}"`).join(', ')}`).join('; '),
      data: { missing },
    });
  }
  return out;
}

/** Creates the session's staging table (temporary: no WAL, dropped at commit or rollback). */
export async function createStaging(client: pg.ClientBase, requiredCount: number, layouts: FileLayout[]): Promise<void> {
  const junk = Math.max(0, ...layouts.map((l) => l.targets.filter((t) => t.startsWith('x')).length));
  const cols = [...Array.from({ length: requiredCount }, (_, k) => `${col(k)} text`), ...Array.from({ length: junk }, (_, j) => `x${j} text`), 'file_no int', 'line int', 'problem text'];
  await client.query(`create temp table ${RAW} (${cols.join(', ')}) on commit drop`);
}

/**
 * Streams one file into the staging table: CsvToCopy passes records through to COPY ... (FORMAT csv)
 * with their file number, line and any problem (ragged row) appended. Returns the number of records.
 */
export async function copyFile(client: pg.ClientBase, layout: FileLayout, signal?: AbortSignal): Promise<number> {
  const input = await layout.file.open();
  const scanner = new CsvToCopy({ file: layout.file.name, fileNo: layout.fileNo });
  const copy = client.query(copyFrom(`copy ${RAW} (${[...layout.targets, 'file_no', 'line', 'problem'].join(', ')}) from stdin (format csv)`));
  await pipeline(input, scanner, copy, ...(signal ? [{ signal }] : []));
  return scanner.records;
}
