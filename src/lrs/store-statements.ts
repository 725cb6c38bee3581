import crypto from 'node:crypto';
import type pg from 'pg';
import { sameStatement } from './compare.ts';
import type { LrsPrincipal } from './credentials.ts';
import { LrsErrors } from './errors.ts';
import { normalizeStatement } from './normalize.ts';
import { SIGNATURE_USAGE, verifySignedStatement } from './signature.ts';
import { validateStatement } from './validate-statement.ts';
import { prepareOffThread } from './ingest-pool.ts';
import { activityDefinitions, statementRow, type StatementRow } from './statement-rows.ts';
import type { XapiVersion } from './version.ts';
import { lrsStatementsStored } from '../shared/metrics.ts';

type Obj = Record<string, any>;

/** An attachment part received in a multipart/mixed request, by its SHA-2 hash. */
export interface ReceivedAttachment {
  sha2: string;
  contentType: string;
  content: Buffer;
}

/** The home page of the accounts that name LRS keys in `authority`. */
export const AUTHORITY_HOME_PAGE = 'https://lmc.invalid/lrs-keys';

/** The authority the LRS puts on statements stored with a key: an Agent identified by the key. */
export function authorityOf(p: LrsPrincipal): Obj {
  return { objectType: 'Agent', name: p.name, account: { homePage: AUTHORITY_HOME_PAGE, name: p.key } };
}

// Statements being written now, by their `stored` time: X-Experience-API-Consistent-Through must not pass
// the oldest of them, since they become visible only when their transaction commits.
const inFlight = new Map<number, number>();
let inFlightSeq = 0;

/** The time through which every statement stored by this process is visible to queries. */
export function consistentThrough(): Date {
  let t = Date.now();
  for (const s of inFlight.values()) t = Math.min(t, s - 1);
  return new Date(t);
}

const hashHex = (content: Buffer, len: number) => {
  const alg = len === 56 ? 'sha224' : len === 96 ? 'sha384' : len === 128 ? 'sha512' : 'sha256';
  return crypto.createHash(alg).update(content).digest('hex');
};

/**
 * Checks attachments against the parts received: every attachment without a fileUrl has its content,
 * every part belongs to an attachment, and signatures verify. Returns the parts to store.
 */
function checkAttachments(statements: Obj[], parts: ReceivedAttachment[] | undefined): ReceivedAttachment[] {
  const byHash = new Map<string, ReceivedAttachment>();
  for (const p of parts ?? []) {
    if (hashHex(p.content, p.sha2.length) !== p.sha2.toLowerCase()) {
      throw LrsErrors.BAD_REQUEST.create({ detail: `the content of the attachment part ${p.sha2} does not have that hash`, field: 'X-Experience-API-Hash' });
    }
    byHash.set(p.sha2.toLowerCase(), p);
  }
  const used = new Set<string>();
  statements.forEach((s, i) => {
    for (const [j, a] of ((s.attachments ?? []) as Obj[]).entries()) {
      const h = String(a.sha2).toLowerCase();
      const part = byHash.get(h);
      if (part) used.add(h);
      else if (a.fileUrl === undefined) {
        throw LrsErrors.BAD_REQUEST.create({ detail: `attachment ${h} has no fileUrl and its content was not sent as a multipart/mixed part`, field: `statement[${i}].attachments[${j}]` });
      }
      if (a.usageType === SIGNATURE_USAGE) {
        if (!part) throw LrsErrors.INVALID_STATEMENT.create({ detail: 'a signature attachment must be sent as a part', field: `statement[${i}].attachments[${j}]` });
        if (a.contentType !== 'application/octet-stream' || !/^application\/octet-stream/i.test(part.contentType)) {
          throw LrsErrors.INVALID_STATEMENT.create({ detail: 'a signature attachment must have contentType application/octet-stream', field: `statement[${i}].attachments[${j}].contentType` });
        }
        verifySignedStatement(s, part.content);
      }
    }
  });
  for (const h of byHash.keys()) {
    if (!used.has(h)) throw LrsErrors.BAD_REQUEST.create({ detail: `the multipart part with hash ${h} is not an attachment of any statement`, field: 'X-Experience-API-Hash' });
  }
  return [...byHash.values()];
}


// Definitions already merged, so repeated statements about one activity do not rewrite (and lock) its row.
const mergedDefinitions = new Map<string, string>();

/** The statement as the LRS stores it: normalized, with id, timestamp, stored, authority and version set. */
export function storedForm(s: Obj, stored: string, authority: Obj, defaultVersion: string): Obj {
  const id = (s.id ?? crypto.randomUUID()).toLowerCase();
  return { ...normalizeStatement(s), id, timestamp: s.timestamp ?? stored, stored, authority, version: s.version ?? defaultVersion };
}

/**
 * Stores statements atomically (xAPI Communication 2.1.1/2.1.2): validates them all, rejects the whole
 * batch on any error, accepts re-sends of identical statements and answers 409 for a different statement
 * under a stored id. Sets id, stored, authority, version and timestamp. Applies voiding.
 * Returns the ids in request order.
 *
 * @example const ids = await storeStatements(ctx.pool, principal, '2.0.0', [statement]);
 */
export async function storeStatements(
  pool: pg.Pool,
  p: LrsPrincipal,
  version: XapiVersion,
  input: unknown[],
  parts?: ReceivedAttachment[],
  opts: { validated?: boolean } = {},
): Promise<string[]> {
  if (input.length === 0) throw LrsErrors.BAD_REQUEST.create('no statement in the request');
  // validated: the caller validated each statement with validateStatement for this version (the CSV import
  // does, to reject a bad row alone); the second pass cost it ~5% of its time for nothing.
  if (!opts.validated) input.forEach((s, i) => validateStatement(s, version, input.length === 1 ? 'statement' : `statement[${i}]`));
  const statements = input as Obj[];
  const seen = new Set<string>();
  for (const s of statements) {
    if (s.id === undefined) continue;
    const id = String(s.id).toLowerCase();
    if (seen.has(id)) throw LrsErrors.BAD_REQUEST.create({ detail: `statement id ${id} is used twice in the batch`, field: 'id' });
    seen.add(id);
  }
  const toStoreParts = checkAttachments(statements, parts);

  const storedAt = new Date();
  const stored = storedAt.toISOString();
  const flight = startFlight(storedAt);
  try {
    const authority = authorityOf(p);
    const defaultVersion = version === '2.0.0' ? '2.0.0' : '1.0.0';
    const prepared: Prepared[] = statements.map((s) => {
      const full = storedForm(s, stored, authority, defaultVersion);
      return { incoming: () => s, id: full.id, row: statementRow(full, stored) };
    });
    const defs = new Map<string, Obj>();
    for (const s of statements) activityDefinitions(s, defs);
    return await writePrepared(pool, p.accountId, stored, prepared, toStoreParts, defs);
  } finally {
    flight.end();
  }
}

/**
 * storeStatements for a JSON request body, with the parsing, validation and shaping done on an ingest thread
 * (prepare-batch.ts, ingest-pool.ts), so that the API's event loop stays free for the queries that arrive
 * meanwhile (issue 13, point 15: the verb query's p99 during ingest). Anything but a valid batch without
 * attachments, and any failure of the thread, goes the usual way (`parsed()` gives the request's
 * statements), which answers exactly as before.
 */
export async function storeStatementsJson(pool: pg.Pool, p: LrsPrincipal, version: XapiVersion, body: Buffer, parsed: () => unknown[]): Promise<string[]> {
  const storedAt = new Date();
  const stored = storedAt.toISOString();
  // In flight from now: the statements carry this `stored` while the thread shapes them.
  const flight = startFlight(storedAt);
  try {
    const pre = await prepareOffThread({ body, version, stored, authority: authorityOf(p), defaultVersion: version === '2.0.0' ? '2.0.0' : '1.0.0' });
    if (!pre) {
      flight.end();
      return await storeStatements(pool, p, version, parsed());
    }
    let incoming: Obj[] | undefined;
    const statementAt = (i: number): Obj => (incoming ??= parsed() as Obj[])[i];
    const prepared: Prepared[] = pre.rows.map((row, i) => ({ id: row.id, row, incoming: () => statementAt(i) }));
    return await writePrepared(pool, p.accountId, stored, prepared, [], new Map(pre.definitions));
  } finally {
    flight.end();
  }
}

/** Marks statements stored at `storedAt` as being written until end() (X-Experience-API-Consistent-Through). */
export function startFlight(storedAt: Date): { end(): void } {
  const flightId = ++inFlightSeq;
  inFlight.set(flightId, storedAt.getTime());
  return { end: () => inFlight.delete(flightId) };
}

async function writePrepared(pool: pg.Pool, accountId: number, stored: string, prepared: Prepared[], parts: ReceivedAttachment[], defs: Map<string, Obj>): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      await writeBatch(pool, accountId, stored, prepared, parts);
      break;
    } catch (e) {
      // Two requests racing with the same new id: the loser tries again, and then compares.
      if ((e as { code?: string }).code === '23505' && attempt === 0) continue;
      throw e;
    }
  }
  lrsStatementsStored.inc(prepared.length);
  // The statements are stored; the merged activity definitions (GET /activities) are a derived view, so a
  // failure there (e.g. a lock timeout) must not turn a stored batch into an error for the client.
  await mergeActivities(pool, accountId, defs).catch(() => undefined);
  return prepared.map((x) => x.id);
}

/** A statement ready to write: its row, and the statement as received (for comparing a re-send). */
type Prepared = { incoming: () => Obj; id: string; row: StatementRow };

/** One request's batch waiting to be written. */
interface PendingWrite {
  accountId: number;
  stored: string;
  prepared: Prepared[];
  parts: ReceivedAttachment[];
  /** Answered already (a 409 inside a group that then failed must not be tried again). */
  settled: boolean;
  resolve(): void;
  reject(e: unknown): void;
}

// Group commit: requests that arrive while a write is running are written together by the next one, in a
// single SQL statement. Fewer, larger statements cost PostgreSQL much less per statement than many
// concurrent small ones (parse, plan, commit, contention on the same index pages).
const MAX_CONCURRENT_WRITES = 2;
const MAX_GROUP_STATEMENTS = 1000;
const queues = new WeakMap<pg.Pool, { pending: PendingWrite[]; running: number }>();

function writeBatch(pool: pg.Pool, accountId: number, stored: string, prepared: Prepared[], parts: ReceivedAttachment[]): Promise<void> {
  let q = queues.get(pool);
  if (!q) queues.set(pool, (q = { pending: [], running: 0 }));
  const state = q;
  return new Promise<void>((resolve, reject) => {
    const w: PendingWrite = {
      accountId,
      stored,
      prepared,
      parts,
      settled: false,
      resolve: () => ((w.settled = true), resolve()),
      reject: (e) => ((w.settled = true), reject(e)),
    };
    state.pending.push(w);
    pump(pool, state);
  });
}

function pump(pool: pg.Pool, q: { pending: PendingWrite[]; running: number }): void {
  while (q.running < MAX_CONCURRENT_WRITES && q.pending.length > 0) {
    // one account per group, no statement id twice in a group (the later write waits for the next group)
    const first = q.pending[0];
    const group: PendingWrite[] = [];
    const ids = new Set<string>();
    let size = 0;
    for (const w of [...q.pending]) {
      if (w.accountId !== first.accountId || (group.length > 0 && size + w.prepared.length > MAX_GROUP_STATEMENTS)) continue;
      if (w.prepared.some((x) => ids.has(x.id))) continue;
      for (const x of w.prepared) ids.add(x.id);
      size += w.prepared.length;
      group.push(w);
      q.pending.splice(q.pending.indexOf(w), 1);
    }
    q.running++;
    writeGroup(pool, group)
      .catch(() => undefined)
      .finally(() => {
        q.running--;
        pump(pool, q);
      });
  }
}

/** Writes a group; when the combined statement fails, each write is tried alone so errors stay its own. */
async function writeGroup(pool: pg.Pool, group: PendingWrite[]): Promise<void> {
  try {
    const ok = await writeCombined(pool, group);
    for (const w of ok) w.resolve();
  } catch (e) {
    if (group.length === 1) return group[0].reject(e);
    for (const w of group.filter((x) => !x.settled)) {
      try {
        for (const x of await writeCombined(pool, [w])) x.resolve();
      } catch (err) {
        w.reject(err);
      }
    }
  }
}

/**
 * Writes the batches of a group in a single SQL statement (atomic on its own, one round trip): the
 * statements, their agent and activity index rows, voiding of stored targets and attachment contents.
 * One query before it finds ids already stored (a re-send compares; a different statement rejects its
 * own batch with 409) and stored voiding statements that target new statements. Returns the writes done.
 */
async function writeCombined(pool: pg.Pool, group: PendingWrite[]): Promise<PendingWrite[]> {
  const accountId = group[0].accountId;
  const ids = group.flatMap((w) => w.prepared.map((x) => x.id));
  const known = await pool.query<{ id: string; statement: Obj | null; pre_voided: boolean }>({
    // named: each connection parses and plans it once (the plan does not depend on the ids)
    name: 'lrs_known_ids',
    text: `select id::text, statement, false as pre_voided from lrs_statements where account_id = $1 and id = any($2::uuid[])
     union all
     select object_statement_id::text, null, true from lrs_statements where account_id = $1 and is_voiding and object_statement_id = any($2::uuid[])`,
    values: [accountId, ids],
  });
  const existingById = new Map<string, Obj>();
  const preVoided = new Set<string>();
  for (const r of known.rows) {
    if (r.pre_voided) preVoided.add(r.id);
    else existingById.set(r.id, r.statement!);
  }
  const ok: PendingWrite[] = [];
  for (const w of group) {
    const clash = w.prepared.find((x) => existingById.has(x.id) && !sameStatement(x.incoming(), existingById.get(x.id)!));
    if (clash) w.reject(LrsErrors.STATEMENT_CONFLICT.create({ detail: clash.id, field: 'id' }));
    else ok.push(w);
  }
  const fresh = ok.flatMap((w) => w.prepared.filter((x) => !existingById.has(x.id)).map((x) => ({ row: x.row, stored: w.stored })));
  const parts = ok.flatMap((w) => w.parts);
  if (fresh.length === 0 && parts.length === 0) return ok;
  const records = fresh.map(({ row, stored }) => ({
    id: row.id, stored, actor_key: row.actor_key, verb_id: row.verb_id, oa: row.oa, os: row.os, reg: row.reg,
    is_voiding: row.is_voiding, voided: false, ts: row.ts, hashes: row.hashes, json: row.json,
  }));
  // Voiding (Data 2.3.2): a voiding statement voids its target unless the target is itself a voiding
  // statement; targets written now are marked here, stored ones by the update below, and new statements
  // that a stored voiding statement already targets arrive voided.
  const byId = new Map(records.map((r) => [r.id, r]));
  const storedTargets: string[] = [];
  for (const r of records) {
    if (preVoided.has(r.id) && !r.is_voiding) r.voided = true;
    if (!r.is_voiding) continue;
    const target = byId.get(r.os!);
    if (target) {
      if (!target.is_voiding) target.voided = true;
    } else storedTargets.push(r.os!);
  }
  const agents: Array<{ id: string; k: string; d: boolean }> = [];
  const activities: Array<{ id: string; k: string; d: boolean }> = [];
  for (const { row } of fresh) {
    for (const [k, d] of row.agents) agents.push({ id: row.id, k, d });
    for (const [k, d] of row.activities) activities.push({ id: row.id, k, d });
  }
  // The statements' JSON was made with their rows: joined here, not stringified again in one long block.
  const recordsJson = '[' + records.map(({ json, ...r }) => JSON.stringify(r).slice(0, -1) + ',"statement":' + json + '}').join(',') + ']';
  await pool.query({
    // named: planning this statement anew for every group cost about 5% of its time in PostgreSQL
    name: 'lrs_write_statements',
    text: `with ins as (
       insert into lrs_statements (account_id, id, stored, actor_key, verb_id, object_activity_id, object_statement_id, registration, is_voiding, voided, timestamp, statement, attachment_hashes)
       select $1, x.id, x.stored, x.actor_key, x.verb_id, x.oa, x.os, x.reg, x.is_voiding, x.voided, x.ts, x.statement, x.hashes
       from jsonb_to_recordset($2::jsonb) as x(id uuid, stored timestamptz, actor_key text, verb_id text, oa text, os uuid, reg uuid, is_voiding boolean, voided boolean, ts timestamptz, statement jsonb, hashes text[])
       returning seq, id, stored),
     ag as (
       insert into lrs_statement_agents (account_id, agent_key, stored, seq, direct)
       select $1, a.k, ins.stored, ins.seq, a.d from jsonb_to_recordset($3::jsonb) as a(id uuid, k text, d boolean) join ins on ins.id = a.id),
     ac as (
       insert into lrs_statement_activities (account_id, activity_id, stored, seq, direct)
       select $1, a.k, ins.stored, ins.seq, a.d from jsonb_to_recordset($4::jsonb) as a(id uuid, k text, d boolean) join ins on ins.id = a.id),
     vd as (
       update lrs_statements set voided = true where account_id = $1 and id = any($5::uuid[]) and not is_voiding),
     att as (
       insert into lrs_attachments (account_id, sha2, content_type, content)
       select $1, x.sha2, x.ct, decode(x.b64, 'base64') from jsonb_to_recordset($6::jsonb) as x(sha2 text, ct text, b64 text)
       on conflict do nothing)
     select count(*) from ins`,
    values: [
      accountId,
      recordsJson,
      JSON.stringify(agents),
      JSON.stringify(activities),
      storedTargets,
      JSON.stringify(parts.map((a) => ({ sha2: a.sha2.toLowerCase(), ct: a.contentType, b64: a.content.toString('base64') }))),
    ],
  });
  return ok;
}

/** Merges activity definitions into lrs_activities (GET /activities), skipping those merged already. */
export async function mergeActivities(pool: pg.Pool, accountId: number, defs: Map<string, Obj>): Promise<void> {
  const todo: Array<{ id: string; a: Obj }> = [];
  for (const [id, definition] of [...defs.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = `${accountId}|${id}`;
    const json = JSON.stringify(definition);
    if (mergedDefinitions.get(key) === json) continue;
    if (mergedDefinitions.size > 50_000) mergedDefinitions.clear();
    mergedDefinitions.set(key, json);
    todo.push({ id, a: { objectType: 'Activity', id, definition } });
  }
  if (todo.length === 0) return;
  await pool.query(
    `insert into lrs_activities as t (account_id, activity_id, activity)
     select $1, x.id, x.a from jsonb_to_recordset($2::jsonb) as x(id text, a jsonb)
     on conflict (account_id, activity_id) do update set activity = jsonb_build_object('objectType', 'Activity', 'id', excluded.activity_id, 'definition',
       (coalesce(t.activity->'definition', '{}') || coalesce(excluded.activity->'definition', '{}'))
       || jsonb_strip_nulls(jsonb_build_object(
            'name', nullif(coalesce(t.activity#>'{definition,name}', '{}') || coalesce(excluded.activity#>'{definition,name}', '{}'), '{}'::jsonb),
            'description', nullif(coalesce(t.activity#>'{definition,description}', '{}') || coalesce(excluded.activity#>'{definition,description}', '{}'), '{}'::jsonb))))`,
    [accountId, JSON.stringify(todo)],
  );
}
