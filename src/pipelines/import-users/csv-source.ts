import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CsvToCopy } from '../../kit/csv/csv-to-copy.ts';
import { readCsv } from '../../kit/csv/read-csv.ts';
import type { EmailKeys } from '../../platform/user-import/email-filter.ts';
import { UserImportErrors } from '../../platform/user-import/errors.ts';
import type { ImportPlanShape, UserImportFilters } from '../../platform/user-import/import-options.ts';
import type { OpenedSource, StagingSource } from '../../platform/user-import/staging-source.ts';
import { ROWS, rowColumns } from '../../platform/user-import/staging.ts';
import { userRowWriter } from './row-writer.ts';

/**
 * The user import's CSV adapter: files of the drop (or an upload) as a staging source. Every header is
 * checked before anything is read; each file then streams into the staging table through CsvToCopy and the
 * row writer (the fast byte path, checked against its reference string path in tests/user-import/row-writer.test.ts).
 *
 * @example await runUserImport(ctx, { ...io, source: csvSource(entries.map((e) => ({ name: e.name, open: () => drop.read(e.path) }))) })
 */
export function csvSource(files: ImportFile[]): StagingSource {
  return {
    async open(required): Promise<OpenedSource> {
      const names = files.map((f) => f.name);
      const layouts = await layoutFiles(files, required);
      return {
        complete: true,
        ...(files.length === 0 ? { empty: 'no CSV file to import' } : {}),
        // Every column of the files, for the mapping page (a new field can be mapped without uploading a template).
        columns: [...new Map(layouts.flatMap((l) => l.header).filter((h) => h !== '').map((h) => [h.toLowerCase(), h])).values()],
        absentFrom: 'the files',
        byRecordId: false,
        async fill(client, target) {
          let read = 0;
          for (const [i, layout] of layouts.entries()) {
            if (target.signal?.aborted) throw UserImportErrors.CANCELLED.create();
            target.progress?.(i, layouts.length, `reading ${layout.file.name}`);
            const before = read;
            read += await copyFile(client, layout, target.shape, target.filters, target.keys, target.docs, target.signal, (n) =>
              target.progress?.(before + n, undefined, `reading ${layout.file.name}${layouts.length > 1 ? ` (file ${i + 1} of ${layouts.length})` : ''}: ${(before + n).toLocaleString('en')} rows`),
            );
          }
          return { read };
        },
        place: (fileNo, line) => ({ source: names[fileNo - 1], line }),
        placeSql: (lit) => `(array[${names.map(lit).join(', ')}]::text[])[r.file_no] || ' line ' || r.line`,
      };
    },
  };
}

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
