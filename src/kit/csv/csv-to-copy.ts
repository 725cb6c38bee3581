import { Transform, type TransformCallback } from 'node:stream';
import { CsvErrors } from './errors.ts';
import { checkHeader } from './header.ts';
import { firstInvalidUtf8, incompleteTail } from './utf8.ts';

const LF = 10, CR = 13, QUOTE = 34, COMMA = 44, SPACE = 32, TAB = 9, NUL = 0;
const OUT_CHUNK = 256 * 1024;
/**
 * A quoted value open for more lines than this is taken for a stray quote (see resync): a real value with
 * line breaks (an address) has a few. It also bounds the memory a stray quote can pin.
 */
const MAX_QUOTED_LINES = 1000;
/** Stray quotes skipped in one file before giving up on it (a file with this many is not CSV). */
const MAX_RESYNCS = 1000;

export interface CsvToCopyOptions {
  /** File name, for error messages. */
  file: string;
  /** Written into every output row after the record's fields (e.g. the file's number in a staging table). */
  fileNo: number;
  /** Writes each record as the caller's own COPY row instead of passing it through (see RecordRewriter). */
  rewrite?: RecordRewriter;
}

/** Turns each record into the caller's own COPY row (its columns, its format); the caller's COPY reads it. */
export interface RecordRewriter {
  /** An upper bound of the bytes `write` puts out for a record of this many bytes. */
  maxBytes(recordBytes: number): number;
  /**
   * Writes the row of one record at out[pos...] and returns the position after it (newline included).
   * rec: the record's bytes without line end (empty when malformed), line: where it starts, problem: why
   * it is malformed (ragged, NUL byte).
   */
  write(rec: Buffer, line: number, problem: string | undefined, out: Buffer, pos: number): number;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * Turns a CSV file (UTF-8 with or without BOM, CRLF or LF, RFC 4180 quoting) into the input of
 * `COPY staging (<header columns>, file_no, line, problem) FROM STDIN (FORMAT csv)`, at disk speed:
 * - the header row (the first non-blank record) is not written; `header` holds its names;
 * - each record is passed through byte for byte with `,<fileNo>,<line>,` appended (line = the physical
 *   1-based line where the record starts; header = line 1 when the file starts with it);
 * - blank lines (nothing but separators and spaces) are dropped and counted in `blankLines`;
 * - a record with a different number of fields than the header (ragged), or a NUL byte, becomes a row of
 *   NULL fields whose `problem` says why, so rejects stay in the database (memory does not grow);
 * - a stray quote (a `"` inside an unquoted value) would swallow the following lines into one record: when
 *   the record it opened is never closed, spans more than MAX_QUOTED_LINES lines, or ends with the wrong
 *   number of fields over several lines, its first line becomes a malformed record ("stray quote") and the
 *   scan starts again on the next line (resync; only on this error path). A stray quote in the header, or
 *   more than MAX_RESYNCS of them, fails the stream with LMC_ERR_CSV_UNTERMINATED_QUOTE;
 * - invalid UTF-8 fails the stream with an error naming the file and line.
 * Record boundaries follow PostgreSQL's CSV reader (a quote toggles quoting anywhere in a field), so the
 * database and this scanner always agree on where records end.
 * Why not csv-parse here: decoding every field into JS strings and encoding them again costs ~5x the time
 * of this pass-through, and the import's floor is a plain COPY (see bench/import.ts).
 */
export class CsvToCopy extends Transform {
  /** Header names (trimmed), once the header row was read. */
  header: string[] | undefined;
  /** Data records written (ragged ones included). */
  records = 0;
  blankLines = 0;
  private readonly file: string;
  private readonly fileNo: number;
  private readonly rewrite: RecordRewriter | undefined;
  private carry: Buffer | undefined;
  private started = false;
  private line = 1;
  private recLine = 1;
  private inQuote = false;
  private commas = 0;
  private nonBlank = false;
  private hasNul = false;
  private pending: Buffer[] = [];
  private resyncs = 0;
  private out: Buffer = Buffer.allocUnsafe(OUT_CHUNK);
  private pos = 0;

  constructor(opts: CsvToCopyOptions) {
    super({ readableHighWaterMark: 1024 * 1024 });
    this.file = opts.file;
    this.fileNo = opts.fileNo;
    this.rewrite = opts.rewrite;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      let data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
      this.carry = undefined;
      if (!this.started) {
        if (data.length < 3 && data.length > 0 && Buffer.from([0xef, 0xbb, 0xbf]).subarray(0, data.length).equals(data)) {
          this.carry = data; // maybe the start of a BOM: wait for more
          return cb();
        }
        this.started = true;
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
      }
      const tail = incompleteTail(data);
      if (tail) {
        this.carry = Buffer.from(data.subarray(data.length - tail));
        data = data.subarray(0, data.length - tail);
      }
      const bad = firstInvalidUtf8(data);
      if (bad >= 0) {
        this.scan(data.subarray(0, bad));
        throw this.utf8Error();
      }
      this.scan(data);
      this.flushOut();
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (this.carry && this.carry.length) {
        if (!this.started) {
          this.started = true;
          this.scan(this.carry); // a file of 1-2 bytes that merely looked like a BOM start
        } else throw this.utf8Error();
      }
      if (this.inQuote) this.resync(Buffer.concat(this.pending), this.recLine, true);
      else if (this.pending.length) this.endRecord(Buffer.alloc(0), 0, 0, this.line > this.recLine);
      if (!this.header) throw CsvErrors.NO_HEADER.create({ detail: this.file, data: { file: this.file } });
      this.flushOut();
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  private utf8Error() {
    return CsvErrors.INVALID_UTF8.create({ detail: `${this.file} line ${this.line}`, field: `${this.file}:${this.line}`, data: { file: this.file, line: this.line } });
  }

  /** The byte loop: finds record ends outside quotes, counts fields and physical lines. */
  private scan(buf: Buffer): void {
    // The state lives in locals inside the loop (V8 keeps them in registers; fields of `this` are loaded and
    // stored at every byte) and goes back to the fields around each record end and at the end of the chunk.
    let start = 0;
    const n = buf.length;
    let inQuote = this.inQuote;
    let commas = this.commas;
    let nonBlank = this.nonBlank;
    let hasNul = this.hasNul;
    let line = this.line;
    for (let i = 0; i < n; i++) {
      const c = buf[i];
      if (c === LF) {
        line++;
        if (!inQuote) {
          this.commas = commas;
          this.nonBlank = nonBlank;
          this.hasNul = hasNul;
          this.endRecord(buf, start, i, line - 1 > this.recLine);
          commas = 0;
          nonBlank = false;
          hasNul = false;
          start = i + 1;
          this.recLine = line;
        }
      } else if (c === QUOTE) {
        inQuote = !inQuote;
        nonBlank = true;
      } else if (c === COMMA) {
        if (!inQuote) commas++;
      } else if (c > SPACE) {
        nonBlank = true;
      } else if (c === NUL) {
        hasNul = true;
      } else if (c !== SPACE && c !== TAB && c !== CR) {
        nonBlank = true;
      }
    }
    this.inQuote = inQuote;
    this.commas = commas;
    this.nonBlank = nonBlank;
    this.hasNul = hasNul;
    this.line = line;
    if (start < n) this.pending.push(Buffer.from(buf.subarray(start)));
    // Once per chunk, not per byte: a quote open for too many lines is a stray one.
    if (inQuote && line - this.recLine > MAX_QUOTED_LINES) this.resync(Buffer.concat(this.pending), this.recLine, false);
  }

  /**
   * The error path of a stray quote: the record that starts at `startLine` (its bytes: `bytes`) is not one.
   * Its first line becomes a malformed record and the rest is scanned again from a clean state. `final`:
   * the bytes run to the record's end (a line end or the file's end), so what they hold is ended here;
   * otherwise more of the file follows and the last, incomplete record stays pending.
   */
  private resync(bytes: Buffer, startLine: number, final: boolean): void {
    const failed = () => CsvErrors.UNTERMINATED_QUOTE.create({ detail: `${this.file} line ${startLine}`, field: `${this.file}:${startLine}`, data: { file: this.file, line: startLine } });
    if (!this.header || ++this.resyncs > MAX_RESYNCS) throw failed();
    this.records++;
    this.reject(startLine, `a quote opened on line ${startLine} is never closed (a stray quote?); the line was skipped`);
    [this.inQuote, this.commas, this.nonBlank, this.hasNul, this.pending] = [false, 0, false, false, []];
    this.line = this.recLine = startLine + 1;
    const lf = bytes.indexOf(LF);
    if (lf >= 0) this.scan(bytes.subarray(lf + 1));
    if (!final) return;
    if (this.inQuote) this.resync(Buffer.concat(this.pending), this.recLine, true);
    else if (this.pending.length) this.endRecord(NO_BYTES, 0, 0, this.line > this.recLine);
  }

  /** Writes a malformed record (all fields NULL, `problem` says why). */
  private reject(line: number, problem: string): void {
    if (this.rewrite) {
      this.ensure(this.rewrite.maxBytes(0));
      this.pos = this.rewrite.write(NO_BYTES, line, problem, this.out, this.pos);
      return;
    }
    this.put(Buffer.from(','.repeat(this.header!.length - 1) + `,${this.fileNo},${line},"${problem}"\n`, 'latin1'));
  }

  /** `multiLine`: the record spans several physical lines (a quoted value with line breaks, or a stray quote). */
  private endRecord(buf: Buffer, start: number, end: number, multiLine: boolean): void {
    let parts: Buffer[] | undefined;
    if (this.pending.length) {
      parts = [...this.pending, buf.subarray(start, end)];
      this.pending = [];
    }
    const fields = this.commas + 1;
    const nonBlank = this.nonBlank;
    const hasNul = this.hasNul;
    this.commas = 0;
    this.nonBlank = false;
    this.hasNul = false;
    if (!nonBlank) {
      if (this.header) this.blankLines++;
      return;
    }
    let rec = parts ? Buffer.concat(parts) : buf.subarray(start, end);
    if (rec.length && rec[rec.length - 1] === CR) rec = rec.subarray(0, rec.length - 1);
    if (!this.header) {
      this.header = decodeRecord(rec).map((h) => h.trim());
      checkHeader(this.header, this.file, this.recLine); // once per file, not per record
      return;
    }
    const expected = this.header.length;
    // A record over several lines (rare) whose width is wrong or whose line break sits in a value opened by a
    // quote in the middle of a field: a stray quote joined the lines.
    if (multiLine && !hasNul && (fields !== expected || strayQuote(rec))) return this.resync(rec, this.recLine, true);
    this.records++;
    const problem = hasNul ? 'the record contains a NUL byte' : fields !== expected ? `expected ${expected} fields (as in the header), found ${fields}` : undefined;
    if (problem) return this.reject(this.recLine, problem);
    if (this.rewrite) {
      this.ensure(this.rewrite.maxBytes(rec.length));
      this.pos = this.rewrite.write(rec, this.recLine, problem, this.out, this.pos);
      return;
    }
    const suffix = `,${this.fileNo},${this.recLine},\n`;
    this.ensure(rec.length + suffix.length);
    this.pos += rec.copy(this.out, this.pos);
    this.pos += this.out.write(suffix, this.pos, 'latin1');
  }

  private ensure(k: number): void {
    if (this.pos + k <= this.out.length) return;
    this.flushOut();
    if (k > this.out.length) this.out = Buffer.allocUnsafe(Math.max(k, OUT_CHUNK));
  }

  private put(b: Buffer): void {
    this.ensure(b.length);
    this.pos += b.copy(this.out, this.pos);
  }

  private flushOut(): void {
    if (this.pos === 0) return;
    // Hand the filled part over and start a fresh buffer (cheaper than copying it out).
    this.push(this.out.subarray(0, this.pos));
    this.out = Buffer.allocUnsafe(OUT_CHUNK);
    this.pos = 0;
  }
}

/**
 * Whether a line break of the record lies in a quoted part opened in the middle of a field (`ab"c`), which
 * no one writes on purpose; a quoted value with line breaks opens at the field's start (`,"line1\nline2"`).
 */
function strayQuote(rec: Buffer): boolean {
  let q = false;
  let atStart = true;
  for (let i = 0; i < rec.length; i++) {
    const c = rec[i];
    if (c === QUOTE) {
      if (!q && !atStart && rec[i - 1] !== QUOTE) {
        const close = rec.indexOf(QUOTE, i + 1);
        const lf = rec.indexOf(LF, i + 1);
        if (lf >= 0 && (close < 0 || lf < close)) return true;
      }
      q = !q;
      atStart = false;
    } else if (!q && c === COMMA) atStart = true;
    else if (!q && c !== SPACE) atStart = false;
  }
  return false;
}

/**
 * Splits one CSV record into its values (quotes removed, "" -> "), the way PostgreSQL reads it.
 * @example decodeRecord(Buffer.from('a,"b,""c"""')) // ['a', 'b,"c"']
 */
export function decodeRecord(rec: Buffer | string): string[] {
  const s = typeof rec === 'string' ? rec : rec.toString('utf8');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          cur += '"';
          i++;
        } else q = false;
      } else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
