import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { AppContext } from '../app-context.ts';

/** Content is stored in rows of this size: one chunk at a time is in memory, on write and on read. */
export const RUN_FILE_CHUNK_BYTES = 1024 * 1024;

/** Groups a stream (or a whole value) into runs of pieces totalling at most `size` bytes (views, no copies). */
async function* chunked(data: Readable | Buffer | string, size: number): AsyncGenerator<Buffer[]> {
  const source: AsyncIterable<Buffer | string> | Iterable<Buffer> = typeof data === 'string' ? [Buffer.from(data)] : Buffer.isBuffer(data) ? [data] : data;
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const piece of source) {
    let b = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    while (heldBytes + b.length >= size) {
      const take = size - heldBytes;
      held.push(b.subarray(0, take));
      yield held;
      held = [];
      heldBytes = 0;
      b = b.subarray(take);
    }
    if (b.length > 0) {
      held.push(b);
      heldBytes += b.length;
    }
  }
  if (heldBytes > 0) yield held;
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The binary COPY stream of run_file_chunks rows (run_id, name, seq, data) for `data`: each chunk's pieces
 * are passed through as they came, behind a small row header; nothing is concatenated or hex-encoded.
 * Counts the bytes into `sink.size`.
 */
async function* copyRows(runId: number, name: string, data: Readable | Buffer | string, sink: { size: number }): AsyncGenerator<Buffer> {
  const head = Buffer.alloc(19);
  COPY_SIGNATURE.copy(head, 0);
  yield head; // signature, flags 0, header extension length 0
  const nameBytes = Buffer.from(name);
  let seq = 0;
  for await (const pieces of chunked(data, RUN_FILE_CHUNK_BYTES)) {
    const len = pieces.reduce((n, p) => n + p.length, 0);
    const row = Buffer.alloc(2 + 4 + 8 + 4 + nameBytes.length + 4 + 4 + 4);
    let o = row.writeInt16BE(4, 0);
    o = row.writeInt32BE(8, o);
    o = row.writeBigInt64BE(BigInt(runId), o);
    o = row.writeInt32BE(nameBytes.length, o);
    o += nameBytes.copy(row, o);
    o = row.writeInt32BE(4, o);
    o = row.writeInt32BE(++seq, o);
    row.writeInt32BE(len, o);
    yield row;
    yield* pieces;
    sink.size += len;
    // A producer and a socket that are always ready would keep this loop in microtasks and starve the
    // timers (the run's heartbeat: its lease would lapse). Let them run once per chunk.
    await new Promise((r) => setImmediate(r));
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  yield trailer;
}

/**
 * Stores a file produced by a run, replacing one of the same name, streamed by a binary COPY into chunk rows
 * inside one transaction: readers see the old file or the whole new one, never half of it. Returns its size.
 * @example await storeRunFile(ctx, 42, 'change-set.csv', csvReadable, 'text/csv')
 */
export async function storeRunFile(ctx: AppContext, runId: number, name: string, data: Readable | Buffer | string, contentType: string): Promise<number> {
  const c = await ctx.pool.connect();
  try {
    await c.query('begin');
    await c.query('delete from run_files where run_id = $1 and name = $2', [runId, name]);
    await c.query('insert into run_files (run_id, name, content_type, size, data) values ($1, $2, $3, 0, null)', [runId, name, contentType]);
    const sink = { size: 0 };
    await pipeline(Readable.from(copyRows(runId, name, data, sink), { objectMode: false }), c.query(copyFrom('copy run_file_chunks (run_id, name, seq, data) from stdin (format binary)')));
    await c.query('update run_files set size = $3 where run_id = $1 and name = $2', [runId, name, sink.size]);
    await c.query('commit');
    return sink.size;
  } catch (e) {
    await c.query('rollback').catch(() => undefined);
    if (!Buffer.isBuffer(data) && typeof data !== 'string') data.destroy();
    throw e;
  } finally {
    c.release();
  }
}

/**
 * Strips the framing of a binary COPY of one bytea column, forwarding the field bytes as they arrive (views,
 * no copies): header (19 bytes), then per row int16 field count (-1 ends) and int32 length + bytes.
 */
async function* copyFieldBytes(copy: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let header = 19; // bytes of the file header still to skip
  let carry: Buffer = Buffer.alloc(0); // an incomplete row header (count + length) split across pieces
  let remaining = 0; // field bytes still to forward
  let ended = false; // after the trailer: the rest is read to the end of the COPY, not returned early
  for await (const piece of copy) {
    let b = piece;
    while (b.length > 0 && !ended) {
      if (header > 0) {
        const n = Math.min(header, b.length);
        header -= n;
        b = b.subarray(n);
        continue;
      }
      if (remaining > 0) {
        const n = Math.min(remaining, b.length);
        yield b.subarray(0, n);
        remaining -= n;
        b = b.subarray(n);
        continue;
      }
      carry = carry.length ? Buffer.concat([carry, b]) : b;
      if (carry.length < 2) {
        b = Buffer.alloc(0);
        continue;
      }
      if (carry.readInt16BE(0) === -1) {
        ended = true;
        continue;
      }
      if (carry.length < 6) {
        b = Buffer.alloc(0);
        continue;
      }
      remaining = carry.readInt32BE(2);
      b = carry.subarray(6);
      carry = Buffer.alloc(0);
    }
  }
}

/**
 * A stored run file's content, read chunk by chunk as the consumer pulls (memory stays at about one chunk
 * whatever the file's size). Each chunk comes through a binary COPY on a pooled connection that is given
 * back between chunks (a slow download does not hold it); a bytea read by a plain query would arrive as a
 * hex string twice its size. Files stored before migration 0009 come from run_files.data.
 */
export function readRunFile(ctx: AppContext, runId: number, name: string): Readable {
  const { db, pool } = ctx;
  async function* chunks() {
    const legacy = await db.selectFrom('run_files').select('data').where('run_id', '=', runId).where('name', '=', name).executeTakeFirst();
    if (legacy?.data && legacy.data.length > 0) yield legacy.data;
    const chunkCount = await db.selectFrom('run_file_chunks').select((eb) => eb.fn.max('seq').as('n')).where('run_id', '=', runId).where('name', '=', name).executeTakeFirst();
    const last = Number(chunkCount?.n ?? 0);
    for (let seq = 1; seq <= last; seq++) {
      const c = await pool.connect();
      let finished = false;
      try {
        const copy = c.query(copyTo(`copy (select data from run_file_chunks where run_id = ${Number(runId)} and name = ${c.escapeLiteral(name)} and seq = ${seq}) to stdout (format binary)`));
        yield* copyFieldBytes(copy);
        finished = true;
      } finally {
        // A download stopped mid-COPY leaves the connection in the middle of it: close it rather than reuse it.
        c.release(finished ? undefined : true);
      }
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
