import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import type { SourceItem, UserSourceRead } from '../../kit/user-source.ts';
import type { StagingSource } from '../../platform/user-import/staging-source.ts';
import { createRecordTables, RECORD_IDS, REMOVED } from '../../platform/user-import/staging.ts';
import { copyFile, layoutFiles, type ImportFile } from './csv-source.ts';

/**
 * A vendor's users (the `users` capability, kit/user-source.ts) as a staging source: read once the mapping
 * says which of their fields are needed, then staged through the CSV path (RecordFeed).
 *
 * `recordIdIsUuid`: the record id is the person's HR UUID (UserSourceCapability.recordIdIsUuid): the import
 * writes it as each user's externalIds.hr_uuid in its transaction (OpenedSource.recordIdIsUuid).
 *
 * @example await runUserImport(ctx, { ...io, source: recordSource(source.label, (want) => source.read(rc, want)) })
 */
export function recordSource(label: string, read: (want: { fields: string[] }) => Promise<UserSourceRead>, opts: { recordIdIsUuid?: boolean } = {}): StagingSource {
  return {
    async open(required) {
      const feed = new RecordFeed(label, await read({ fields: required }), required);
      const [layout] = await layoutFiles([feed.asFile()], required);
      return {
        complete: feed.read.complete,
        absentFrom: 'the source',
        byRecordId: true,
        recordIdIsUuid: !!opts.recordIdIsUuid,
        async fill(client, target) {
          feed.managerField = target.shape.manager;
          target.progress?.(0, 1, `reading ${label}`);
          const n = await copyFile(client, layout, target.shape, target.filters, target.keys, target.docs, target.signal, (k) =>
            target.progress?.(k, undefined, `reading ${label}: ${k.toLocaleString('en')} rows`),
          );
          await feed.stage(client);
          if (feed.removed.length) target.log?.('info', `${label} reported ${feed.removed.length} user${feed.removed.length > 1 ? 's' : ''} removed`, { removed: feed.removed.length });
          return { read: n, managersById: feed.usesManagerIds };
        },
        place: (_fileNo, line) => ({ source: label, recordId: feed.ids[line] }),
        placeSql: () => `'record ' || (select i.source_id from ${RECORD_IDS} i where i.line = r.line)`,
      };
    },
  };
}

/**
 * The first column of the CSV a record source becomes: the vendor's record id. Never a mapped column (the
 * mapping names the vendor's fields); it also keeps a record whose mapped values are all empty from reading
 * as a blank line (which CSV drops), so such a record is rejected like any other.
 */
export const RECORD_ID_COLUMN = 'lmc:record-id';

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
  /** The source field the mapping reads the manager from (a record whose value there is empty may give managerId). */
  managerField = '';

  constructor(
    readonly label: string,
    readonly read: UserSourceRead,
    readonly fields: string[],
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
   * Loads the ids kept beside the rows into their temporary tables (once the rows are staged): the import
   * resolves managers given by id (staging.ts resolveManagerIds) and remembers each user's vendor id.
   */
  async stage(client: pg.ClientBase): Promise<void> {
    await createRecordTables(client);
    await copyRows(client, `copy ${RECORD_IDS} (line, source_id, manager_id) from stdin`, this.idRows());
    if (this.removed.length) await client.query(`insert into ${REMOVED} select distinct unnest($1::text[])`, [this.removed]);
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
