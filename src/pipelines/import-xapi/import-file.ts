import type { Readable } from 'node:stream';
import type { AppContext } from '../../app-context.ts';
import type { CountKind, RejectedRecord } from '../../kit/run-context.ts';
import { readCsv } from '../../kit/csv/read-csv.ts';
import { sameStatement } from '../../lrs/compare.ts';
import type { LrsPrincipal } from '../../lrs/credentials.ts';
import { LrsErrors } from '../../lrs/errors.ts';
import { findStoredStatements } from '../../lrs/stored-statements.ts';
import { needsLrsStore, storeImportedStatements } from '../../lrs/import-statements.ts';
import { storeStatements } from '../../lrs/store-statements.ts';
import { XapiImportErrors } from './errors.ts';
import type { StatementIdSet } from './id-set.ts';
import { applyFilters } from './filters.ts';
import { IMPORT_XAPI_VERSION, rowToStatement, type CompiledConfiguration } from './row-to-statement.ts';

/** Statements stored per call of the LRS store (and between two cancel checks). */
export const IMPORT_BATCH = 500;

/** What importing a file needs from the run. */
export interface ImportIo {
  ctx: AppContext;
  accountId: number;
  /** The LRS authority of the imported statements (docs/xapi-import.md). */
  principal: LrsPrincipal;
  dryRun: boolean;
  /**
   * Dry runs: the ids this run would have created so far, across batches and files. A real run finds such a
   * row's statement stored (unchanged); the dry run stores nothing, so without this it counted the row twice.
   */
  dryRunCreated?: StatementIdSet;
  signal?: AbortSignal;
  reject(r: RejectedRecord): Promise<void>;
  count(kind: CountKind, n?: number): void;
  /** Rows read so far in the run (for progress). */
  progress(rowsDone: number): void;
}

export interface FileOutcome {
  /** False when the file failed as a whole (missing columns, malformed CSV): it is kept in the drop. */
  ok: boolean;
  read: number;
}

type Pending = { line: number; id: string; statement: Record<string, any> };

/**
 * Imports one CSV file with one configuration: checks the header holds every column the configuration
 * reads (else nothing of the file is stored), then streams rows through filters → statement → validation,
 * rejecting bad rows with file, line, column and reason, and stores the rest in batches through the LRS
 * store (one write per batch: src/lrs/import-statements.ts). A statement stored before under a row's id is
 * compared: the same statement again is "unchanged", a different one under the same id is rejected (the
 * LRS's 409), new ones are "created".
 */
export async function importFile(io: ImportIo, c: CompiledConfiguration, file: { name: string; open(): Promise<Readable> }, rowsBefore: number): Promise<FileOutcome> {
  const input = await file.open();
  let read = 0;
  let batch: Pending[] = [];
  // One batch is stored while the next one is read and converted: the database's time and the rows' CPU time
  // overlap instead of adding up. Still one batch in the database at a time, in order (a later batch's lookup
  // sees what the earlier one stored), so the counts are those of storing them one after the other.
  let inFlight: Promise<void> | undefined;
  const seen: FileState = { storedBefore: false };
  const waitStored = async () => {
    const p = inFlight;
    inFlight = undefined;
    if (p) await p;
  };
  const store = async (b: Pending[]) => {
    await waitStored();
    // a cancel takes effect here, between two batches (storeBatch checks again)
    if (io.signal?.aborted) throw XapiImportErrors.CANCELLED.create();
    inFlight = storeBatch(io, file.name, b, seen);
    inFlight.catch(() => undefined); // awaited by the next store, or at the end
  };
  // What this file stored, for an honest message when it fails half-way (the UTF-8 check fails a whole chunk,
  // so "rows before this line" may be none at all).
  const stored = { created: 0, unchanged: 0 };
  const outer = io;
  io = {
    ...outer,
    count: (k, n = 1) => {
      if (k === 'created' || k === 'unchanged') stored[k] += n;
      outer.count(k, n);
    },
  };
  try {
    const csv = await readCsv(input, file.name);
    const missing = c.columns.filter((col) => !csv.header.includes(col));
    if (missing.length) {
      const err = XapiImportErrors.MISSING_COLUMNS.create({ detail: `${file.name} (configuration "${c.config.name}"): ${missing.map((m) => `"${m}"`).join(', ')}` });
      await io.reject({ source: file.name, line: 1, field: missing.join(', '), reason: err.message });
      return { ok: false, read: 0 };
    }
    for await (const r of csv.records) {
      read++;
      // While a batch is being stored, let its database replies in every few rows: the rows of a read chunk are
      // converted without returning to the event loop, so each of the store's round trips (begin, COPY, write,
      // commit) otherwise waited for a whole chunk's conversion, and the store fell behind the rows.
      if (inFlight && read % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
      io.count('read');
      if (r.ragged) {
        await io.reject({ source: file.name, line: r.line, reason: `the line has ${r.ragged.found} fields, the header ${r.ragged.expected}` });
        continue;
      }
      const f = applyFilters(c.config.filters, r.values, c.dates);
      if ('reject' in f) {
        await io.reject({ source: file.name, line: r.line, field: f.column, reason: f.reason });
        continue;
      }
      if (!f.pass) {
        io.count('skipped');
        continue;
      }
      const s = rowToStatement(c, r.values);
      if (!s.ok) {
        await io.reject({ source: file.name, line: r.line, field: s.column || undefined, reason: s.reason });
        continue;
      }
      batch.push({ line: r.line, id: s.id, statement: s.statement });
      if (batch.length >= IMPORT_BATCH) {
        await store(batch);
        batch = [];
        io.progress(rowsBefore + read);
      }
    }
    if (batch.length) await store(batch);
    await waitStored();
    io.progress(rowsBefore + read);
    return { ok: true, read };
  } catch (e) {
    // the batch being stored: its own failure comes first, and the message counts what it stored
    await waitStored();
    if (String((e as { code?: unknown }).code ?? '').startsWith('LMC_ERR_CSV_')) {
      const line = (e as { data?: { line?: number } }).data?.line;
      // The rows before the bad line are valid: store them (a re-run finds them unchanged).
      if (batch.length) await storeBatch(io, file.name, batch, seen);
      const verb = io.dryRun ? 'would be' : 'were';
      const what = stored.created + stored.unchanged === 0
        ? `nothing of this file was imported (${read} row(s) read before the error)`
        : `of the ${read} row(s) read before the error, ${stored.created} ${verb} created and ${stored.unchanged} ${stored.unchanged === 1 ? 'was' : 'were'} already stored`;
      await io.reject({ source: file.name, line, reason: `${(e as Error).message} (${what}; the file is kept)` });
      return { ok: false, read };
    }
    throw e;
  } finally {
    // (only after another error: the batch in flight is not left writing after the file's end)
    await inFlight?.catch(() => undefined);
    input.destroy();
  }
}

/** What the batches of a file found so far. */
type FileState = { storedBefore: boolean };

async function storeBatch(io: ImportIo, fileName: string, batch: Pending[], file: FileState): Promise<void> {
  if (io.signal?.aborted) throw XapiImportErrors.CANCELLED.create();
  // The same row twice in a batch is the same statement: stored once, the repeat is unchanged.
  const byId = new Map<string, Pending>();
  let repeats = 0;
  for (const p of batch) {
    if (byId.has(p.id)) repeats++;
    else byId.set(p.id, p);
  }
  if (io.dryRun || needsLrsStore([...byId.values()].map((p) => p.statement))) return storeByLookup(io, fileName, byId, repeats);
  let unchanged = repeats;
  let known = new Map<string, Record<string, any>>();
  // A file imported before (the previous batch found most rows stored): a lookup first is cheaper than building
  // and sending every statement to find it stored. Otherwise one write does both (storeImportedStatements).
  if (file.storedBefore) known = await findStoredStatements(io.ctx.pool, io.accountId, [...byId.keys()]);
  const before = await againstStored(io, fileName, byId.values(), known);
  unchanged += before.unchanged;
  const toWrite = before.fresh;
  // validated already, by rowToStatement, exactly as the store would
  const r = await storeImportedStatements(io.ctx.pool, io.principal, IMPORT_XAPI_VERSION, toWrite.map((p) => p.statement));
  // The rows the write did not create were stored before it (r.existing has each of them).
  unchanged += (await againstStored(io, fileName, toWrite.filter((p) => !r.created.has(p.id)), r.existing)).unchanged;
  file.storedBefore = byId.size - r.created.size > byId.size / 2;
  io.count('created', r.created.size);
  io.count('unchanged', unchanged);
}

/**
 * Sorts rows by what is stored under their ids (`null`: the same statement, as storeImportedStatements reports
 * it): none stored, the row is fresh; the same statement is unchanged; another statement is the LRS's 409, a
 * reject of the row (returned in `conflicts` too).
 */
async function againstStored(io: ImportIo, fileName: string, rows: Iterable<Pending>, stored: Map<string, Record<string, any> | null>) {
  const fresh: Pending[] = [];
  const conflicts: Pending[] = [];
  let unchanged = 0;
  for (const p of rows) {
    const s = stored.get(p.id);
    if (s === undefined) fresh.push(p);
    else if (s === null || sameStatement(p.statement, s)) unchanged++;
    else {
      conflicts.push(p);
      await io.reject({ source: fileName, line: p.line, recordId: p.id, field: 'id', reason: `${LrsErrors.STATEMENT_CONFLICT.spec.message} (${p.id}): the row was imported before with another mapping` });
    }
  }
  return { fresh, unchanged, conflicts };
}

/**
 * A batch through a lookup first, then the LRS's own store: the dry run (which stores nothing) and a batch with
 * a voiding statement (the LRS's store voids its target).
 */
async function storeByLookup(io: ImportIo, fileName: string, byId: Map<string, Pending>, repeats: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const known = await findStoredStatements(io.ctx.pool, io.accountId, [...byId.keys()]);
    const sorted = await againstStored(io, fileName, [...byId.values()], known);
    // (a rejected row is not looked at again if the store sends us round once more)
    for (const p of sorted.conflicts) byId.delete(p.id);
    let fresh = sorted.fresh;
    let unchanged = sorted.unchanged;
    if (io.dryRun && io.dryRunCreated) {
      // What the real run would do: a row seen earlier in this run is stored by then (same id: same configuration and row).
      const seen = io.dryRunCreated;
      const firstTime = fresh.filter((p) => seen.add(p.id));
      unchanged += fresh.length - firstTime.length;
      fresh = firstTime;
    }
    try {
      // validated already, by rowToStatement, exactly as the store would
      if (fresh.length && !io.dryRun) await storeStatements(io.ctx.pool, io.principal, IMPORT_XAPI_VERSION, fresh.map((p) => p.statement), undefined, { validated: true });
    } catch (e) {
      // Another writer stored one of these ids in between: look again (once) and compare.
      if (LrsErrors.STATEMENT_CONFLICT.is(e) && attempt === 0) continue;
      throw e;
    }
    io.count('created', fresh.length);
    io.count('unchanged', unchanged + repeats);
    return;
  }
}
