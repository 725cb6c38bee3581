import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import type { SourceItem, UserSourceRead } from '../../kit/user-source.ts';
import type { ImportFile } from './staging.ts';

/**
 * The first column of the CSV a record source becomes: the vendor's record id. Never a mapped column (the
 * mapping names the vendor's fields); it also keeps a record whose mapped values are all empty from reading
 * as a blank line (which CSV drops), so such a record is rejected like any other.
 */
export const RECORD_ID_COLUMN = 'lmc:record-id';

/** The temporary table of a record source's ids: line of the staged row -> vendor id, manager's vendor id. */
export const RECORD_IDS = 'lmc_ui_record_ids';
/** The vendor ids a delta read reported removed. */
export const REMOVED = 'lmc_ui_removed';

const RECORDS_PER_CHUNK = 500;

/**
 * A vendor's users as the CSV the import reads: records become rows of the mapped fields, so records and
 * files share one path (row writer, staging, rejects, plan, apply). What CSV cannot carry is kept beside:
 * each row's vendor id and manager id (by the row's line), and the removals.
 */
export class RecordFeed {
  /** Vendor id of the record staged on each line (index = line). */
  readonly ids: Array<string | undefined> = [];
  /** Manager's vendor id of the records whose mapped manager field was empty (index = line). */
  readonly managerIds: Array<string | undefined> = [];
  readonly removed: string[] = [];
  usesManagerIds = false;

  constructor(
    readonly label: string,
    readonly read: UserSourceRead,
    readonly fields: string[],
    readonly managerField: string,
  ) {}

  /** The records as one CSV "file" named after the source (the header is known: no second read). */
  asFile(): ImportFile & { header: string[] } {
    const header = [RECORD_ID_COLUMN, ...this.fields];
    return { name: this.label, header, open: async () => Readable.from(this.chunks(header)) };
  }

  private async *chunks(header: string[]): AsyncGenerator<string> {
    yield stringify([header]);
    let line = 2;
    let batch: string[][] = [];
    const flush = () => {
      const text = stringify(batch);
      batch = [];
      return text;
    };
    for await (const item of this.read.items as AsyncIterable<SourceItem>) {
      if ('removed' in item && item.removed) {
        this.removed.push(String(item.id));
        continue;
      }
      const rec = item as Extract<SourceItem, { values: unknown }>;
      const row = [String(rec.id), ...this.fields.map((f) => cell(rec.values[f]))];
      this.ids[line] = String(rec.id);
      if (rec.managerId && cell(rec.values[this.managerField]) === '') {
        this.managerIds[line] = String(rec.managerId);
        this.usesManagerIds = true;
      }
      // A value with line breaks spans several physical lines: the next record starts after them.
      line += 1 + row.reduce((n, v) => n + countBreaks(v), 0);
      batch.push(row);
      if (batch.length >= RECORDS_PER_CHUNK) yield flush();
    }
    if (batch.length) yield flush();
  }

  /**
   * Loads the ids kept beside the rows into temporary tables (once the rows are staged), and fills the manager
   * of rows whose source gave it by id: the manager's row in this run, else the user an earlier run of this
   * connection imported with that id.
   */
  async stage(client: pg.ClientBase, connectionId: number): Promise<void> {
    await client.query(`create temp table ${RECORD_IDS} (line int primary key, source_id text not null, manager_id text) on commit drop`);
    await copyRows(client, `copy ${RECORD_IDS} (line, source_id, manager_id) from stdin`, this.idRows());
    await client.query(`create index on ${RECORD_IDS} (source_id)`);
    await client.query(`create temp table ${REMOVED} (source_id text primary key) on commit drop`);
    if (this.removed.length) await client.query(`insert into ${REMOVED} select distinct unnest($1::text[])`, [this.removed]);
    if (!this.usesManagerIds) return;
    await client.query(`
      update lmc_ui_rows r set mgr_in = coalesce(
        (select r2.email from ${RECORD_IDS} i2 join lmc_ui_rows r2 on r2.line = i2.line where i2.source_id = i.manager_id order by r2.line limit 1),
        (select u.email from user_source_ids s join users u on u.id = s.user_id
          where s.connection_id = ${Number(connectionId)} and s.source_id = i.manager_id and u.state <> 'deleted'))
      from ${RECORD_IDS} i
      where i.line = r.line and i.manager_id is not null and i.manager_id <> i.source_id and r.mgr_in is null and not r.malformed`);
  }

  private *idRows(): Generator<string> {
    for (let line = 0; line < this.ids.length; line++) {
      const id = this.ids[line];
      if (id === undefined) continue;
      const m = this.managerIds[line];
      yield `${line}\t${copyText(id)}\t${m === undefined ? '\\N' : copyText(m)}\n`;
    }
  }
}

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : String(v);
}

function countBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** A value in COPY's text format. */
function copyText(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

async function copyRows(client: pg.ClientBase, statement: string, rows: Iterable<string>): Promise<void> {
  async function* batches() {
    let buf = '';
    for (const r of rows) {
      buf += r;
      if (buf.length > 1 << 16) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(batches()), client.query(copyFrom(statement)));
}
