import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { CsvErrors } from './errors.ts';
import { checkHeader } from './header.ts';
import { Utf8Guard } from './utf8-guard.ts';

/** One data record of a CSV file, keyed by header name. */
export interface CsvRecord {
  /** 1-based physical line where the record starts (the header is line 1 when the file starts with it). */
  line: number;
  values: Record<string, string>;
  /** Set when the record has more or fewer fields than the header (values then hold what was there). */
  ragged?: { expected: number; found: number };
}

export interface CsvFile {
  header: string[];
  records: AsyncIterable<CsvRecord>;
}

/**
 * Streams a CSV file record by record with csv-parse: UTF-8 (BOM or not; invalid bytes fail naming file and
 * line), CRLF or LF, RFC 4180 quoting with embedded newlines, blank lines skipped, ragged rows flagged.
 * Memory stays flat: records are yielded one at a time. For bulk loads into PostgreSQL use CsvToCopy.
 *
 * @example
 *   const csv = await readCsv(await files.read('import/xapi/a.csv'), 'a.csv');
 *   for await (const r of csv.records) console.log(r.line, r.values.email);
 */
export async function readCsv(input: Readable, file: string, opts: { maxRecordChars?: number; headerOnly?: boolean } = {}): Promise<CsvFile> {
  const parser = parse({
    bom: true, info: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'],
    ...(opts.maxRecordChars ? { max_record_size: opts.maxRecordChars } : {}),
    // Only the header: what follows is not parsed, so a broken record further on cannot fail the read.
    ...(opts.headerOnly ? { to: 1 } : {}),
  });
  const guard = new Utf8Guard(file);
  input.on('error', (e) => parser.destroy(e));
  guard.on('error', (e) => parser.destroy(e));
  input.pipe(guard).pipe(parser);
  const it = iterate(parser, file)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw CsvErrors.NO_HEADER.create({ detail: file, data: { file } });
  const header = first.value.fields.map((h) => h.trim());
  checkHeader(header, file, first.value.line);
  async function* records(): AsyncGenerator<CsvRecord> {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const values: Record<string, string> = {};
      header.forEach((h, i) => (values[h] = r.value.fields[i] ?? ''));
      const found = r.value.fields.length;
      yield { line: r.value.line, values, ...(found !== header.length ? { ragged: { expected: header.length, found } } : {}) };
    }
  }
  return { header, records: records() };
}

/** Yields raw records with their start line; records of only empty values count as blank lines. */
async function* iterate(parser: AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>, file: string) {
  // csv-parse reports the line where a record ends; the start line is one past the previous record's end
  // plus the blank lines skipped in between (its own count double-counts CRLF inside quotes).
  let prevEnd = 0;
  let prevEmpty = 0;
  try {
    for await (const { record, info } of parser) {
      const start = prevEnd + 1 + (info.empty_lines - prevEmpty);
      let inner = 0;
      for (const v of record) for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) inner++;
      prevEnd = start + inner;
      prevEmpty = info.empty_lines;
      if (record.every((v) => v.trim() === '')) continue;
      yield { line: start, fields: record };
    }
  } catch (e) {
    if (e instanceof CsvError && e.code === 'CSV_MAX_RECORD_SIZE') {
      throw CsvErrors.RECORD_TOO_LARGE.create({ detail: `${file} line ${prevEnd + 1}`, field: `${file}:${prevEnd + 1}`, data: { file, line: prevEnd + 1 }, cause: e });
    }
    if (e instanceof CsvError) {
      const line = (e as unknown as { lines?: number }).lines ?? prevEnd + 1;
      throw CsvErrors.MALFORMED.create({ detail: `${file} line ${line}: ${e.message}`, field: `${file}:${line}`, data: { file, line }, cause: e });
    }
    throw e;
  }
}
