import type pg from 'pg';
import { agentKey } from './agents.ts';
import { LrsErrors } from './errors.ts';
import { formatStatement, type StatementFormat } from './format.ts';

type Obj = Record<string, any>;

/** The filters of GET /statements (xAPI Communication 2.1.3), already validated. */
export interface StatementQuery {
  agent?: Obj;
  verb?: string;
  activity?: string;
  registration?: string;
  related_activities?: boolean;
  related_agents?: boolean;
  since?: string;
  until?: string;
  limit?: number;
  ascending?: boolean;
  format?: StatementFormat;
  attachments?: boolean;
}

/** Where the next page starts: after (stored, seq) of the last row, and never past the first page's time. */
interface Cursor {
  q: StatementQuery;
  after: [string, number];
  bound: string;
}

export const PAGE_MAX = 200;

export function encodeMore(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeMore(token: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (!c || typeof c !== 'object' || !Array.isArray(c.after) || typeof c.bound !== 'string') throw new Error('shape');
    return c;
  } catch {
    throw LrsErrors.BAD_REQUEST.create({ detail: 'the "more" token is not one this LRS issued', field: 'more' });
  }
}

class Sql {
  params: unknown[] = [];
  p(v: unknown): string {
    this.params.push(v);
    return `$${this.params.length}`;
  }
}

/** Conditions that a statement row (alias `t`) matches the filters, as sub-queries on the index tables. */
function targetFilter(sql: Sql, acc: string, q: StatementQuery, t: string): string[] {
  const c: string[] = [];
  if (q.agent) {
    c.push(`exists (select 1 from lrs_statement_agents x where x.account_id = ${acc} and x.agent_key = ${sql.p(agentKey(q.agent))} and x.stored = ${t}.stored and x.seq = ${t}.seq${q.related_agents ? '' : ' and x.direct'})`);
  }
  if (q.activity) {
    c.push(`exists (select 1 from lrs_statement_activities x where x.account_id = ${acc} and x.activity_id = ${sql.p(q.activity)} and x.stored = ${t}.stored and x.seq = ${t}.seq${q.related_activities ? '' : ' and x.direct'})`);
  }
  if (q.verb) c.push(`${t}.verb_id = ${sql.p(q.verb)}`);
  if (q.registration) c.push(`${t}.registration = ${sql.p(q.registration)}::uuid`);
  return c;
}

export interface QueryPage {
  /** The statements of the page, each already serialized. */
  statementsJson: string[];
  /** SHA-2 hashes of the attachments of the returned statements. */
  attachmentHashes: string[];
  more: string;
}

/**
 * Runs a statement query or continues one from its `more` token. Results are ordered by `stored`
 * (newest first unless ascending) and exclude voided statements; statements that target a matching
 * statement through a StatementRef are returned too (Communication 2.1.3 "filter conditions").
 * Every query is an index range scan on (account, filter, stored, seq) that stops after one page.
 */
export async function queryStatements(pool: pg.Pool, accountId: number, q: StatementQuery, more: string | undefined, langs: string[], moreBase: string): Promise<QueryPage> {
  const cursor = more ? decodeMore(more) : undefined;
  if (cursor) q = cursor.q;
  const now = new Date().toISOString();
  const bound = cursor?.bound ?? now;
  const limit = Math.min(q.limit && q.limit > 0 ? q.limit : PAGE_MAX, PAGE_MAX);
  const desc = !q.ascending;
  const sql = new Sql();
  const acc = sql.p(accountId);

  // The driver: the most selective index for the filters given.
  let from: string;
  let d: string;
  const where: string[] = ['not s.voided'];
  if (q.agent) {
    from = 'lrs_statement_agents d join lrs_statements s on s.seq = d.seq';
    d = 'd';
    where.push(`d.account_id = ${acc}`, `d.agent_key = ${sql.p(agentKey(q.agent))}`);
    if (!q.related_agents) where.push('d.direct');
    where.push(...targetFilter(sql, acc, { ...q, agent: undefined }, 's'));
  } else if (q.activity) {
    from = 'lrs_statement_activities d join lrs_statements s on s.seq = d.seq';
    d = 'd';
    where.push(`d.account_id = ${acc}`, `d.activity_id = ${sql.p(q.activity)}`);
    if (!q.related_activities) where.push('d.direct');
    where.push(...targetFilter(sql, acc, { ...q, activity: undefined }, 's'));
  } else {
    from = 'lrs_statements s';
    d = 's';
    where.push(`s.account_id = ${acc}`, ...targetFilter(sql, acc, q, 's'));
  }
  // When lrs_statements itself drives the query (verb, registration, no filter), the bounds on `stored` are
  // given as sub-selects, which the planner cannot look up in the statistics: it then rates the range with
  // its default selectivity and picks the index of the filter (verb, registration), whose order is the
  // page's order. Looked up, they misled it right after a heavy ingest: the newest statements always
  // arrived after the last ANALYZE, so a `since` of the last minutes seemed to hold one row, and the planner
  // took the `stored` index and filtered on the verb, reading every statement since `since` until a page of
  // the verb was found (docs/lrs.md, "Queries during and right after ingest").
  const param = (alias: string, v: unknown, type: string) => (alias === 's' && d === 's' ? `(select ${sql.p(v)}::${type})` : `${sql.p(v)}::${type}`);
  const range = (alias: string, driver = false): string[] => {
    const a = driver ? alias : '';
    const r: string[] = [];
    if (q.since) r.push(`${alias}.stored > ${param(a, q.since, 'timestamptz')}`);
    const until = q.until && q.until < bound ? q.until : bound;
    r.push(`${alias}.stored <= ${param(a, until, 'timestamptz')}`);
    if (cursor) r.push(`(${alias}.stored, ${alias}.seq) ${desc ? '<' : '>'} (${param(a, cursor.after[0], 'timestamptz')}, ${param(a, cursor.after[1], 'bigint')})`);
    return r;
  };
  const order = (alias: string) => `order by ${alias}.stored ${desc ? 'desc' : 'asc'}, ${alias}.seq ${desc ? 'desc' : 'asc'}`;
  const cols = 's.seq, s.stored, s.statement::text as statement, s.attachment_hashes';
  const direct = `select ${cols} from ${from} where ${[...where, ...range(d, true)].join(' and ')} ${order(d)} limit ${limit + 1}`;
  let text = direct;
  const filtered = q.agent || q.activity || q.verb || q.registration;
  if (filtered) {
    // statements whose StatementRef target matches, and that do not match themselves (those are above)
    const refs = `select ${cols} from lrs_statements s join lrs_statements t on t.account_id = s.account_id and t.id = s.object_statement_id
      where s.account_id = ${acc} and s.object_statement_id is not null and not s.voided and ${[...range('s'), ...targetFilter(sql, acc, q, 't')].join(' and ')}
        and not (${targetFilter(sql, acc, q, 's').join(' and ')})
      ${order('s')} limit ${limit + 1}`;
    text = `select u.* from ((${direct}) union all (${refs})) u ${order('u')} limit ${limit + 1}`;
  }
  const page = await pool.query<{ seq: number; stored: Date; statement: string; attachment_hashes: string[] }>(text, sql.params);
  const rows = page.rows.slice(0, limit);
  const format = q.format ?? 'exact';
  // exact: the stored JSON text goes out as is, without parsing and serializing it again
  const statementsJson = rows.map((r) => (format === 'exact' ? r.statement : JSON.stringify(formatStatement(JSON.parse(r.statement), format, langs))));
  const hashes = new Set<string>();
  for (const r of rows) for (const h of r.attachment_hashes) hashes.add(h);
  let moreUrl = '';
  if (page.rows.length > limit) {
    const last = rows[rows.length - 1];
    moreUrl = `${moreBase}?more=${encodeMore({ q, after: [last.stored.toISOString(), last.seq], bound })}`;
  }
  return { statementsJson, attachmentHashes: [...hashes], more: moreUrl };
}

/** One statement by id: voided ones only through voidedStatementId, others only through statementId. */
export async function getStatement(pool: pg.Pool, accountId: number, id: string, voided: boolean) {
  const r = await pool.query<{ statement: Obj; attachment_hashes: string[]; stored: Date; voided: boolean }>(
    'select statement, attachment_hashes, stored, voided from lrs_statements where account_id = $1 and id = $2::uuid',
    [accountId, id],
  );
  const row = r.rows[0];
  if (!row || row.voided !== voided) throw LrsErrors.NOT_FOUND.create(voided ? `no voided statement ${id}` : `no statement ${id}`);
  return row;
}

/** Attachment contents by hash (for attachments=true responses). */
export async function loadAttachments(pool: pg.Pool, accountId: number, hashes: string[]) {
  if (hashes.length === 0) return [];
  const r = await pool.query<{ sha2: string; content_type: string; content: Buffer }>(
    'select sha2, content_type, content from lrs_attachments where account_id = $1 and sha2 = any($2::text[])',
    [accountId, hashes],
  );
  return r.rows;
}
