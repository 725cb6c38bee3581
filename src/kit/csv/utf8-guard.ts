import { Transform, type TransformCallback } from 'node:stream';
import { CsvErrors } from './errors.ts';
import { firstInvalidUtf8, incompleteTail } from './utf8.ts';

/**
 * Passes bytes through unchanged and fails with LMC_ERR_CSV_INVALID_UTF8 naming the file and the physical
 * line of the first byte that is not UTF-8 (decoders would silently turn it into U+FFFD).
 */
export class Utf8Guard extends Transform {
  private line = 1;
  private carry: Buffer | undefined;
  constructor(private readonly file: string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    const tail = incompleteTail(data);
    if (tail) {
      this.carry = Buffer.from(data.subarray(data.length - tail));
      data = data.subarray(0, data.length - tail);
    }
    const bad = firstInvalidUtf8(data);
    const upto = bad >= 0 ? bad : data.length;
    for (let i = data.indexOf(10); i !== -1 && i < upto; i = data.indexOf(10, i + 1)) this.line++;
    if (bad >= 0) return cb(this.error());
    cb(null, data);
  }

  override _flush(cb: TransformCallback): void {
    if (this.carry?.length) return cb(this.error());
    cb();
  }

  private error() {
    return CsvErrors.INVALID_UTF8.create({ detail: `${this.file} line ${this.line}`, field: `${this.file}:${this.line}`, data: { file: this.file, line: this.line } });
  }
}
