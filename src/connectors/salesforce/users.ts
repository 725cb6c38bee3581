/**
 * The `users` capability: Salesforce Users, or Contacts (all, or a subset by one field's values), for the shared
 * "Import Internal Users".
 * - A first run (or one after a reset) reads everything in scope with SOQL (query + queryMore) and is complete:
 *   users of the connection no longer in scope are kept, suspended or deleted as the admin chose.
 * - Later runs read the records changed since the last one (`SystemModstamp >` the newest stamp seen) plus the
 *   records Salesforce reports deleted (getDeleted, kept 15 days): a delta. A changed record that left the
 *   scope (a deactivated user, a contact whose subset field changed) is reported removed.
 * Salesforce's replication guidance: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_data_replication.htm
 * The value-list filters of the import are also put in the SOQL (the import applies them again): an org with
 * millions of contacts sends only those in scope.
 */
import { z } from 'zod';
import type { RunContext } from '../../kit/run-context.ts';
import type { SourceItem, UserSourceCapability } from '../../kit/user-source.ts';
import { bulkQuery } from './bulk-query.ts';
import { describeObject, fieldValue, firstPage, getDeleted, soqlDateTime, soqlString } from './client.ts';
import { SalesforceErrors } from './errors.ts';
import { subsetOf, type SalesforceSettings, type UserSourceChoice } from './settings.ts';
import { MANAGER_LOOKUP, sourceFieldsOf } from './user-fields.ts';

export const userSyncState = z.object({
  /** The newest SystemModstamp read so far (ISO 8601). */
  modifiedSince: z.string(),
  /** getDeleted is complete up to this instant (its latestDateCovered). */
  deletedSince: z.string(),
});
type SyncState = z.infer<typeof userSyncState>;

const FIELD = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/;

/** The conditions of "in scope": active users; contacts of the subset; the import's value filters. */
function scopeConditions(choice: UserSourceChoice, filters: Array<{ column: string; values: string[] }>): Array<{ field: string; values: string[] | [true] }> {
  const conds: Array<{ field: string; values: string[] | [true] }> = [];
  if (choice.object === 'User') conds.push({ field: 'IsActive', values: [true] });
  const subset = subsetOf(choice);
  if (subset) conds.push({ field: subset.field, values: subset.values });
  for (const f of filters) if (FIELD.test(f.column) && !f.column.includes('.')) conds.push({ field: f.column, values: f.values });
  return conds;
}

const soqlWhere = (conds: Array<{ field: string; values: string[] | [true] }>) =>
  conds.map((c) => (c.values[0] === true ? `${c.field} = true` : `${c.field} IN (${(c.values as string[]).map(soqlString).join(', ')})`));

function inScope(rec: Record<string, unknown>, conds: Array<{ field: string; values: string[] | [true] }>): boolean {
  return conds.every((c) => {
    const v = fieldValue(rec, c.field);
    // REST answers booleans; Bulk API CSV answers "true".
    if (c.values[0] === true) return v === true || v === 'true';
    // SOQL compares text without case; so does this check of a changed record.
    return v !== null && (c.values as string[]).some((x) => x.toLowerCase() === String(v).toLowerCase());
  });
}

/**
 * The records of the query: REST queryMore, or one Bulk API 2.0 query job when the first page says there are
 * more than `bulkAbove` (an org with millions of contacts: fewer, larger calls).
 */
async function* records(rc: RunContext<SalesforceSettings, unknown, SyncState>, soql: string, bulkAbove: number): AsyncGenerator<Record<string, unknown>> {
  const first = await firstPage<Record<string, unknown>>(rc.http(), soql);
  if (first.totalSize > bulkAbove && first.records.length < first.totalSize) {
    rc.log('info', `Salesforce: ${first.totalSize} records, reading them through a Bulk API 2.0 query job`, { totalSize: first.totalSize });
    yield* bulkQuery(rc.http(), soql, { pollMs: 250, timeoutMs: 60 * 60_000, partRecords: 50_000, signal: rc.signal });
    return;
  }
  yield* first.records;
  yield* first.rest();
}

async function* readItems(rc: RunContext<SalesforceSettings, unknown, SyncState>, soql: string, fields: string[], conds: ReturnType<typeof scopeConditions>, managerIdField: string, deleted: string[], seen: { max: number }): AsyncGenerator<SourceItem> {
  let n = 0;
  for await (const rec of records(rc, soql, rc.connection.settings.importFrom.bulkAbove)) {
    const id = String(rec.Id);
    // REST answers 2024-05-01T10:00:00.000+0000, Bulk API CSV ...000Z: compared as instants, kept as ISO 8601.
    const stamp = Date.parse(String(fieldValue(rec, 'SystemModstamp') ?? '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isFinite(stamp) && stamp > seen.max) seen.max = stamp;
    if (++n % 2000 === 0) rc.progress(n, undefined, 'reading from Salesforce');
    if (!inScope(rec, conds)) {
      yield { id, removed: true };
      continue;
    }
    const values: Record<string, string | number | boolean | null> = {};
    for (const f of fields) values[f] = fieldValue(rec, f);
    yield { id, values, managerId: (fieldValue(rec, managerIdField) as string | null) ?? null };
  }
  for (const id of deleted) yield { id, removed: true };
  rc.log('info', `read ${n} ${n === 1 ? 'record' : 'records'} and ${deleted.length} deletion(s) from Salesforce`, { records: n, deleted: deleted.length });
}

/**
 * The stamp kept in the state as a SOQL datetime literal (ISO 8601 with milliseconds, so that `>` skips exactly
 * what was read), checked so that a state never injects SOQL.
 */
function datetimeLiteral(stamp: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/.test(stamp)) throw SalesforceErrors.BAD_STATE.create({ detail: `"${stamp.slice(0, 40)}" is not a date` });
  return stamp;
}

export const salesforceUsers: UserSourceCapability<SalesforceSettings, SyncState> = {
  label: 'Salesforce',
  description: 'Users or Contacts of the org, as chosen in the connection, through SOQL; later runs read the changes and deletions since the last one',
  state: userSyncState,
  scheduleUnits: ['days', 'hours'],
  async fields(settings, env) {
    const object = settings.importFrom.object;
    return sourceFieldsOf(await describeObject(env.http(), object), object);
  },
  async read(rc, want) {
    const choice = rc.connection.settings.importFrom;
    const lookup = MANAGER_LOOKUP[choice.object];
    const opts = (rc.options ?? {}) as { filters?: { values?: Array<{ column: string; values: string[] }> } };
    const conds = scopeConditions(choice, opts.filters?.values ?? []);
    const bad = want.fields.find((f) => !FIELD.test(f));
    if (bad) throw SalesforceErrors.NO_SUCH_FIELD.create({ detail: `"${bad}" is not a Salesforce field name`, field: 'mapping' });
    const select = [...new Set(['Id', 'SystemModstamp', lookup.idField, ...conds.map((c) => c.field), ...want.fields])];
    const cur = rc.state.current;
    const started = new Date();
    let deleted: string[] = [];
    let deletedUntil = started;
    let where = soqlWhere(conds);
    let complete = true;
    if (cur) {
      try {
        const d = await getDeleted(rc.http(), choice.object, new Date(cur.deletedSince), started);
        deleted = d.ids;
        deletedUntil = d.latestDateCovered;
        // A delta: every change, in scope or not (a record that left the scope is a removal).
        where = [`SystemModstamp > ${datetimeLiteral(cur.modifiedSince)}`];
        complete = false;
      } catch (e) {
        if (!SalesforceErrors.DELETED_WINDOW_EXPIRED.is(e)) throw e;
        rc.log('warn', `${(e as Error).message}; reading every ${choice.object === 'User' ? 'user' : 'contact'} in scope instead`);
      }
    }
    const soql = `SELECT ${select.join(', ')} FROM ${choice.object}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    rc.log('info', `Salesforce: ${complete ? 'reading every' : 'reading the changed'} ${choice.object === 'User' ? 'users' : 'contacts'}${subsetOf(choice) ? ` of the subset ${subsetOf(choice)!.field} in (${subsetOf(choice)!.values.join(', ')})` : ''}`, { soql });
    const seen = { max: 0 };
    const items = readItems(rc, soql, want.fields, conds, lookup.idField, deleted, seen);
    // The state is staged when the read is done (an aborted read stages nothing: the engine keeps the old one).
    async function* staged(): AsyncGenerator<SourceItem> {
      yield* items;
      rc.state.stage({ modifiedSince: seen.max ? new Date(seen.max).toISOString() : (cur?.modifiedSince ?? soqlDateTime(started)), deletedSince: deletedUntil.toISOString() });
    }
    return { complete, items: staged() };
  },
};
