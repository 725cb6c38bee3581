import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CsvToCopy } from '../../kit/csv/csv-to-copy.ts';
import { readCsv } from '../../kit/csv/read-csv.ts';
import { UserImportErrors } from './errors.ts';
import type { ImportPlanShape, UserImportFilters } from './import-options.ts';
import type { EmailKeys } from './email-filter.ts';
import { rowColumns, userRowWriter } from './row-writer.ts';

/** A CSV file of the import: its name (for the error report) and how to open it (possibly twice). */
export interface ImportFile {
  name: string;
  /** Known header (a record source's fields): the file is then opened once, to be read. */
  header?: string[];
  open(): Promise<Readable>;
}

/** Where the required columns stand in one file. */
export interface FileLayout {
  file: ImportFile;
  fileNo: number;
  header: string[];
  /** header position of each required column, in the order of the required columns (the first of equal names) */
  positions: number[];
}

/** The staging table: one normalized row per CSV record. */
export const ROWS = 'lmc_ui_rows';

/**
 * Reads the header row of every file and checks each has every required column, BEFORE anything is
 * loaded: a file lacking columns fails the whole import with the list of what is missing where.
 * Column names match after trimming, case-insensitively.
 */
export async function layoutFiles(files: ImportFile[], required: string[]): Promise<FileLayout[]> {
  const out: FileLayout[] = [];
  const missing: Array<{ file: string; columns: string[] }> = [];
  for (const [i, file] of files.entries()) {
    let header: string[];
    if (file.header) header = file.header;
    else {
      const input = await file.open();
      try {
        header = (await readCsv(input, file.name, { headerOnly: true })).header;
      } finally {
        input.destroy();
      }
    }
    const lower = header.map((h) => h.toLowerCase());
    const lack = required.filter((c) => !lower.includes(c.toLowerCase()));
    if (lack.length) missing.push({ file: file.name, columns: lack });
    out.push({ file, fileNo: i + 1, header, positions: required.map((c) => lower.indexOf(c.toLowerCase())) });
  }
  if (missing.length) {
    throw UserImportErrors.MISSING_COLUMNS.create({
      detail: missing.map((m) => `${m.file} lacks ${m.columns.map((c) => `"${c}"`).join(', ')}`).join('; '),
      data: { missing },
    });
  }
  return out;
}

/**
 * Creates the session's staging table of normalized rows (temporary: no WAL, dropped at commit or rollback),
 * which COPY fills straight from the files (see row-writer.ts). em and mgr, the lower-cased keys, are
 * computed by the database as rows arrive. The documents (when staged) stay JSON text until a row turns out
 * to change (parsing is the dear part of a re-import that changes nothing).
 */
export async function createStaging(client: pg.ClientBase, shape: ImportPlanShape): Promise<void> {
  const values = [...shape.profile.map((_, i) => `p${i} text`), ...shape.fields.map((_, i) => `f${i} text`)];
  await client.query(`
    create temp table ${ROWS} (
      file_no int not null, line int not null, email text, name text, mgr_in text, user_type text, ${values.map((v) => v + ',').join(' ')}
      included boolean not null, malformed boolean not null, reason text, reason_field text, profile_doc text, fields_doc text,
      rej_pass int not null default 0,
      em text generated always as (lower(email)) stored,
      mgr text generated always as (lower(mgr_in)) stored
    ) on commit drop`);
}

/**
 * Streams one file into the staging table: CsvToCopy finds the records (and the malformed ones), the
 * row writer normalizes each into its staging row. Returns the number of records.
 */
export async function copyFile(
  client: pg.ClientBase,
  layout: FileLayout,
  shape: ImportPlanShape,
  filters: UserImportFilters,
  keys: EmailKeys,
  docs: boolean,
  signal?: AbortSignal,
  onRecords?: (records: number) => void,
): Promise<number> {
  const input = await layout.file.open();
  const rewrite = userRowWriter(shape, filters, layout.fileNo, layout.header.length, layout.positions, keys, docs);
  const scanner = new CsvToCopy({ file: layout.file.name, fileNo: layout.fileNo, rewrite });
  const copy = client.query(copyFrom(`copy ${ROWS} (${rowColumns(shape).join(', ')}) from stdin`));
  // A large file is read for seconds: the records read so far are reported twice a second (live progress).
  const tick = onRecords ? setInterval(() => onRecords(scanner.records), 500) : undefined;
  try {
    await pipeline(input, scanner, copy, ...(signal ? [{ signal }] : []));
  } finally {
    clearInterval(tick);
  }
  return scanner.records;
}
