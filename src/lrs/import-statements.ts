import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { LrsPrincipal } from './credentials.ts';
import { lrsStatementsStored } from '../shared/metrics.ts';
import { activityDefinitions, statementRow, type StatementRow } from './statement-rows.ts';
import { findStoredStatements } from './stored-statements.ts';
import { authorityOf, mergeActivities, startFlight, storedForm } from './store-statements.ts';
import { VOIDED_VERB } from './validate-statement.ts';
import type { XapiVersion } from './version.ts';

type Obj = Record<string, any>;

/** What storing a batch of imported statements did, by statement id. */
export interface ImportedBatch {
  /** Ids stored now. */
  created: Set<string>;
  /**
   * Ids stored before: null when the stored statement is the same JSON apart from the properties the LRS sets
   * (id, stored, authority, version): the same statement; else the stored statement, for the caller to
   * compare (sameStatement) and reject when it differs. Those rows are not written.
   */
  existing: Map<string, Obj | null>;
}

/**
 * True when storeImportedStatements cannot take the batch: a voiding statement voids others (Data 2.3.2),
 * which the LRS's own store does (storeStatements).
 */
export const needsLrsStore = (statements: Obj[]): boolean =>
  statements.some((s) => s.verb?.id === VOIDED_VERB && s.object?.objectType === 'StatementRef');

// The staging table, one per connection (temporary: no WAL, emptied by each commit).
const STAGE = `create temp table if not exists lmc_import_stage (
  n int, id uuid, actor_key text, verb_id text, oa text, os uuid, reg uuid, ts timestamptz, statement jsonb,
  hashes text[], agent_keys text[], agent_direct boolean[], activity_ids text[], activity_direct boolean[]
) on commit delete rows`;
const staged = new WeakSet<object>();

// The properties the LRS sets; the rest decides whether a stored statement is the same one (a faster
// first look than sameStatement, which the caller runs for the ones this does not settle).
const SET_BY_LRS = `'{id,stored,authority,version}'::text[]`;

// The stored rows of the staged ids are probed by id (= any(array(...)): the (account_id, id) index); a join
// on the staging table let the planner, with statistics from before a large import, read all of the account's
// statements for every batch (a hash join): 70 ms a batch after 5,000 statements, growing with each batch.
/**
 * One set-based write for the staged batch, atomic with it: the new statements (a stored id is left as it is:
 * on conflict do nothing), their agent and activity index rows, and for each staged id stored before, whether
 * it is the same statement. All parts see the table as it was before the write (one snapshot), so the
 * existing ids are exactly the ones stored by others.
 */
const WRITE = `with ins as (
    insert into lrs_statements (account_id, id, stored, actor_key, verb_id, object_activity_id, object_statement_id, registration, is_voiding, voided, timestamp, statement, attachment_hashes)
    select $1, s.id, $2, s.actor_key, s.verb_id, s.oa, s.os, s.reg, false,
      -- a stored voiding statement that targets this new one voids it on arrival (as the LRS's store does)
      s.id in (select v.object_statement_id from lrs_statements v where v.account_id = $1 and v.is_voiding and v.object_statement_id = any(array(select id from lmc_import_stage))),
      s.ts, s.statement, s.hashes
    from lmc_import_stage s order by s.n
    on conflict (account_id, id) do nothing
    returning seq, id),
  ag as (
    insert into lrs_statement_agents (account_id, agent_key, stored, seq, direct)
    select $1, a.k, $2, ins.seq, a.d from ins join lmc_import_stage s on s.id = ins.id cross join unnest(s.agent_keys, s.agent_direct) as a(k, d)),
  ac as (
    insert into lrs_statement_activities (account_id, activity_id, stored, seq, direct)
    select $1, a.k, $2, ins.seq, a.d from ins join lmc_import_stage s on s.id = ins.id cross join unnest(s.activity_ids, s.activity_direct) as a(k, d))
  select ins.id::text, true as created, null::boolean as same, null::jsonb as statement from ins
  union all
  select x.id::text, false, x.same, case when x.same then null else x.statement end
  from (select s.id, l.statement, (l.statement - ${SET_BY_LRS}) = (s.statement - ${SET_BY_LRS}) as same
        from lmc_import_stage s
        join (select id, statement from lrs_statements where account_id = $1 and id = any(array(select id from lmc_import_stage))) l on l.id = s.id) x`;

/**
 * Stores a batch of imported statements (validated, ids set and unique, no voiding statement: needsLrsStore)
 * in one transaction: COPY into a per-connection staging table, then one INSERT ... SELECT into the
 * statements and their index tables that skips the ids already stored and reports them. Instead of the LRS
 * store's lookup + JSON insert (storeStatements): one write, no second parse of every statement's JSON in
 * PostgreSQL, and the import's "unchanged / conflict" lookup done by the same statement. Sets stored,
 * authority and version as the LRS does, keeps X-Experience-API-Consistent-Through behind the write, merges
 * the created statements' activity definitions (GET /activities) and counts them in the LRS metrics.
 * @example const r = await storeImportedStatements(ctx.pool, principal, '2.0.0', statements);
 */
export async function storeImportedStatements(pool: pg.Pool, p: LrsPrincipal, version: XapiVersion, statements: Obj[]): Promise<ImportedBatch> {
  const created = new Set<string>();
  const existing = new Map<string, Obj | null>();
  if (statements.length === 0) return { created, existing };
  const storedAt = new Date();
  const stored = storedAt.toISOString();
  const flight = startFlight(storedAt);
  let rows: StatementRow[];
  try {
    const authority = authorityOf(p);
    const defaultVersion = version === '2.0.0' ? '2.0.0' : '1.0.0';
    rows = statements.map((s) => statementRow(storedForm(s, stored, authority, defaultVersion), stored));
    const client = await pool.connect();
    let failed = false;
    try {
      if (!staged.has(client)) {
        await client.query(STAGE);
        staged.add(client);
      }
      await client.query('begin');
      try {
        await pipeline(Readable.from(copyLines(rows)), client.query(copyStreams.from('copy lmc_import_stage from stdin')));
        const r = await client.query<{ id: string; created: boolean; same: boolean | null; statement: Obj | null }>({ name: 'lmc_import_write', text: WRITE, values: [p.accountId, stored] });
        await client.query('commit');
        for (const x of r.rows) {
          if (x.created) created.add(x.id);
          else existing.set(x.id, x.same ? null : x.statement);
        }
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      }
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      // after a failure (a broken COPY, a lost connection) the connection is closed, not given back to the pool
      client.release(failed);
    }
  } finally {
    flight.end();
  }
  // Stored by another writer after the write's snapshot was taken (it waited for that writer, then skipped the
  // id): neither created nor seen. Read now, after its commit.
  const missing = rows.map((r) => r.id).filter((id) => !created.has(id) && !existing.has(id));
  if (missing.length) {
    const late = await findStoredStatements(pool, p.accountId, missing);
    for (const id of missing) {
      const s = late.get(id);
      if (!s) throw new Error(`statement ${id} was neither stored nor found`);
      existing.set(id, s);
    }
  }
  lrsStatementsStored.inc(created.size);
  // As in storeStatements: the merged definitions are a derived view; a failure there does not fail stored statements.
  const defs = new Map<string, Obj>();
  statements.forEach((s, i) => created.has(rows[i].id) && activityDefinitions(s, defs));
  await mergeActivities(pool, p.accountId, defs).catch(() => undefined);
  return { created, existing };
}

// COPY's text format: backslash, tab, newline and carriage return are escaped; \N is null.
const ESCAPE = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const text = (v: string | null | undefined): string => (v == null ? '\\N' : v.replace(ESCAPE, (c) => escapes[c]));
// an array literal: every element quoted, its quotes and backslashes escaped (then escaped again for COPY)
const textArray = (xs: string[]): string => text('{' + xs.map((x) => '"' + x.replace(/["\\]/g, '\\$&') + '"').join(',') + '}');
const boolArray = (xs: boolean[]): string => '{' + xs.map((d) => (d ? 't' : 'f')).join(',') + '}';

/** The batch's rows as COPY text lines, a few hundred rows a chunk. */
function* copyLines(rows: StatementRow[]): Generator<string> {
  let chunk = '';
  for (let n = 0; n < rows.length; n++) {
    const r = rows[n];
    chunk +=
      n + '\t' + r.id + '\t' + text(r.actor_key) + '\t' + text(r.verb_id) + '\t' + text(r.oa) + '\t' + text(r.os) + '\t' + text(r.reg) + '\t' + r.ts + '\t' + text(r.json) + '\t' +
      textArray(r.hashes) + '\t' + textArray(r.agents.map(([k]) => k)) + '\t' + boolArray(r.agents.map(([, d]) => d)) + '\t' +
      textArray(r.activities.map(([k]) => k)) + '\t' + boolArray(r.activities.map(([, d]) => d)) + '\n';
    if (chunk.length > 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

