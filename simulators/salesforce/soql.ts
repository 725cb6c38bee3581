/**
 * The subset of SOQL the connector sends, parsed and run against the store:
 *   SELECT field, Rel.Field, ... FROM Object
 *   [WHERE cond AND cond ...]   cond: field (= | != | < | <= | > | >=) literal | field [NOT] IN (literal, ...)
 *   [GROUP BY field, ...]       with COUNT(Id) / COUNT() in the SELECT list (AggregateResult rows, expr0, expr1...)
 *   [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n]
 * Literals: 'strings' (backslash escapes), numbers, true/false, null, datetimes (2024-05-01T00:00:00Z).
 * SOQL: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm
 * Comparison operators: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_comparisonoperators.htm
 * Date formats: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 * Relationship queries (child-to-parent dot notation): https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_understanding.htm
 * GROUP BY: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_groupby.htm
 * Aggregate functions (unaliased results named expr0, expr1, ...): https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_agg_functions.htm
 * Anything else is MALFORMED_QUERY, as Salesforce answers for what it cannot parse.
 */
import type { OrgStore, SfRecord, SfValue } from './store.ts';
import type { ObjectDef } from './schema.ts';

export class SoqlError extends Error {
  constructor(readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE', message: string) {
    super(message);
  }
}

type Literal = { kind: 'lit'; value: SfValue; datetime?: boolean };
export interface Condition {
  field: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'NOT IN';
  values: Literal[];
}
export interface SoqlQuery {
  fields: string[];
  /** COUNT(field) / COUNT() of the SELECT list, in order (their results are expr0, expr1, ...). */
  counts: Array<{ field?: string }>;
  groupBy: string[];
  from: string;
  where: Condition[];
  orderBy: Array<{ field: string; desc: boolean; nullsLast: boolean }>;
  limit?: number;
}

const TOKEN = /\s*(?:('(?:[^'\\]|\\.)*')|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.]*)|(!=|<=|>=|<>|=|<|>|\(|\)|,))/y;

function tokenize(q: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < q.length) {
    if (/^\s*$/.test(q.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(q);
    if (!m) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${q.slice(pos).trim().split(/\s+/)[0]}'`);
    out.push(m[0].trim());
    pos = TOKEN.lastIndex;
  }
  return out;
}

export function parseSoql(text: string): SoqlQuery {
  const t = tokenize(text);
  let i = 0;
  const peek = () => t[i];
  const kw = (w: string) => t[i]?.toUpperCase() === w;
  const expect = (w: string) => {
    if (!kw(w)) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${t[i] ?? '<end>'}' (expecting ${w})`);
    i++;
  };
  const literal = (): Literal => {
    const x = t[i++];
    if (x === undefined) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
    if (x.startsWith("'")) return { kind: 'lit', value: x.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c) };
    if (/^\d{4}-\d{2}-\d{2}T/.test(x)) return { kind: 'lit', value: Date.parse(x.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')), datetime: true };
    if (/^-?\d/.test(x)) return { kind: 'lit', value: Number(x) };
    if (/^(true|false)$/i.test(x)) return { kind: 'lit', value: x.toLowerCase() === 'true' };
    if (/^null$/i.test(x)) return { kind: 'lit', value: null };
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${x}'`);
  };
  expect('SELECT');
  const fields: string[] = [];
  const counts: SoqlQuery['counts'] = [];
  do {
    const f = t[i++];
    if (!f || !/^[A-Za-z_]/.test(f)) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${f ?? '<end>'}'`);
    if (f.toUpperCase() === 'COUNT' && peek() === '(') {
      i++;
      const inner = peek() === ')' ? undefined : t[i++];
      if (t[i++] !== ')') throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${t[i - 1] ?? '<end>'}' (expecting ')')`);
      counts.push(inner ? { field: inner } : {});
    } else fields.push(f);
  } while (peek() === ',' && i++);
  expect('FROM');
  const from = t[i++];
  if (!from) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
  const where: Condition[] = [];
  if (kw('WHERE')) {
    i++;
    do {
      const field = t[i++];
      let op = (t[i++] ?? '').toUpperCase();
      if (op === 'NOT' && kw('IN')) {
        i++;
        op = 'NOT IN';
      }
      if (op === '<>') op = '!=';
      if (op === 'IN' || op === 'NOT IN') {
        if (t[i++] !== '(') throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${t[i - 1]}' (expecting '(')`);
        const values: Literal[] = [];
        do values.push(literal());
        while (peek() === ',' && i++);
        if (t[i++] !== ')') throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${t[i - 1] ?? '<end>'}' (expecting ')')`);
        where.push({ field, op, values });
      } else if (['=', '!=', '<', '<=', '>', '>='].includes(op)) {
        where.push({ field, op: op as Condition['op'], values: [literal()] });
      } else throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${op || '<end>'}'`);
    } while (kw('AND') && ++i);
    if (kw('OR')) throw new SoqlError('MALFORMED_QUERY', 'OR is not supported by this simulator');
  }
  const groupBy: string[] = [];
  if (kw('GROUP')) {
    i++;
    expect('BY');
    do groupBy.push(t[i++]);
    while (peek() === ',' && i++);
  }
  const orderBy: SoqlQuery['orderBy'] = [];
  if (kw('ORDER')) {
    i++;
    expect('BY');
    do {
      const field = t[i++];
      let desc = false;
      if (kw('ASC')) i++;
      else if (kw('DESC')) {
        desc = true;
        i++;
      }
      let nullsLast = desc;
      if (kw('NULLS')) {
        i++;
        nullsLast = kw('LAST');
        i++;
      }
      orderBy.push({ field, desc, nullsLast });
    } while (peek() === ',' && i++);
  }
  let limit: number | undefined;
  if (kw('LIMIT')) {
    i++;
    const n = Number(t[i++]);
    if (!Number.isInteger(n) || n < 0) throw new SoqlError('MALFORMED_QUERY', 'LIMIT must be a non-negative integer');
    limit = n;
  }
  if (i < t.length) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${t[i]}'`);
  return { fields, counts, groupBy, from, where, orderBy, limit };
}

/** Resolves `Field` or `Rel.Field` against the object (INVALID_FIELD as Salesforce words it otherwise). */
function resolvePath(store: OrgStore, o: ObjectDef, path: string): Array<{ object: ObjectDef; field: string }> {
  const parts = path.split('.');
  const steps: Array<{ object: ObjectDef; field: string }> = [];
  let cur = o;
  for (let k = 0; k < parts.length; k++) {
    const last = k === parts.length - 1;
    if (last) {
      const f = store.field(cur, parts[k]);
      if (!f) throw new SoqlError('INVALID_FIELD', `No such column '${parts[k]}' on entity '${cur.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
      steps.push({ object: cur, field: f.name });
    } else {
      const rel = cur.fields.find((f) => f.relationshipName?.toLowerCase() === parts[k].toLowerCase());
      if (!rel) throw new SoqlError('INVALID_FIELD', `Didn't understand relationship '${parts[k]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
      steps.push({ object: cur, field: rel.name });
      cur = store.object(rel.referenceTo![0])!;
    }
  }
  return steps;
}

function valueAt(store: OrgStore, rec: SfRecord, steps: Array<{ field: string }>): SfValue {
  let cur: SfRecord | undefined = rec;
  for (let k = 0; k < steps.length - 1; k++) {
    const id: SfValue | undefined = cur?.[steps[k].field];
    cur = id ? store.byId(String(id))?.record : undefined;
  }
  return cur ? (cur[steps[steps.length - 1].field] ?? null) : null;
}

function compare(a: SfValue, b: SfValue, datetime: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (datetime) return Date.parse(String(a).replace(/\+0000$/, 'Z')) - Number(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // SOQL compares text case-insensitively.
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

/** A record as the REST API shows it: attributes, the selected fields, parents as nested objects. */
function shape(store: OrgStore, o: ObjectDef, rec: SfRecord, fieldSteps: Array<{ path: string; steps: Array<{ object: ObjectDef; field: string }> }>, version: string): Record<string, unknown> {
  const attrs = (obj: ObjectDef, id: unknown) => ({ type: obj.name, url: `/services/data/${version}/sobjects/${obj.name}/${id}` });
  const out: Record<string, unknown> = { attributes: attrs(o, rec.Id) };
  for (const { steps } of fieldSteps) {
    let target = out;
    let cur: SfRecord | undefined = rec;
    for (let k = 0; k < steps.length - 1; k++) {
      const relField = steps[k].object.fields.find((f) => f.name === steps[k].field)!;
      const id: SfValue | undefined = cur?.[relField.name];
      const parent: { object: ObjectDef; record: SfRecord } | undefined = id ? store.byId(String(id)) : undefined;
      const key = relField.relationshipName!;
      if (!parent) {
        target[key] = null;
        cur = undefined;
        break;
      }
      if (!target[key]) target[key] = { attributes: attrs(parent.object, parent.record.Id) };
      target = target[key] as Record<string, unknown>;
      cur = parent.record;
    }
    if (cur) target[steps[steps.length - 1].field] = cur[steps[steps.length - 1].field] ?? null;
  }
  return out;
}

/** Runs a parsed query: every matching record, shaped (paging is the caller's). */
export function runSoql(store: OrgStore, q: SoqlQuery, version: string): Record<string, unknown>[] {
  const o = store.object(q.from);
  if (!o) throw new SoqlError('INVALID_TYPE', `sObject type '${q.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  const fieldSteps = q.fields.map((path) => ({ path, steps: resolvePath(store, o, path) }));
  const conds = q.where.map((c) => {
    const steps = resolvePath(store, o, c.field);
    const def = store.field(steps[steps.length - 1].object, steps[steps.length - 1].field)!;
    const datetime = def.type === 'datetime';
    if (datetime && c.values.some((v) => v.value !== null && !v.datetime)) throw new SoqlError('MALFORMED_QUERY', `value of filter criterion for field '${def.name}' must be of type dateTime and should not be enclosed in quotes`);
    return { ...c, steps, datetime };
  });
  const order = q.orderBy.map((s) => ({ ...s, steps: resolvePath(store, o, s.field), datetime: false }));
  // An equality on a plain field narrows the scan through the store's index (Email IN (...) over 100,000 users).
  const keyed = conds.find((c) => (c.op === '=' || c.op === 'IN') && c.steps.length === 1 && !c.datetime && c.values.every((v) => v.value !== null));
  const candidates = keyed ? [...new Map(keyed.values.flatMap((v) => store.findBy(o.name, keyed.steps[0].field, v.value as string)).map((r) => [r.Id, r])).values()] : store.all(o.name);
  let rows = candidates.filter((r) =>
    conds.every((c) => {
      const v = valueAt(store, r, c.steps);
      switch (c.op) {
        case 'IN':
          return c.values.some((x) => v !== null && compare(v, x.value, c.datetime) === 0);
        case 'NOT IN':
          return !c.values.some((x) => v !== null && compare(v, x.value, c.datetime) === 0);
        case '=':
          return c.values[0].value === null ? v === null : v !== null && compare(v, c.values[0].value, c.datetime) === 0;
        case '!=':
          return c.values[0].value === null ? v !== null : v === null || compare(v, c.values[0].value, c.datetime) !== 0;
        default: {
          if (v === null) return false;
          const d = compare(v, c.values[0].value, c.datetime);
          return c.op === '<' ? d < 0 : c.op === '<=' ? d <= 0 : c.op === '>' ? d > 0 : d >= 0;
        }
      }
    }),
  );
  if (order.length) {
    rows = rows.sort((a, b) => {
      for (const s of order) {
        const x = valueAt(store, a, s.steps);
        const y = valueAt(store, b, s.steps);
        if (x === y) continue;
        if (x === null || y === null) return (x === null) === s.nullsLast ? 1 : -1;
        const d = typeof x === 'string' && typeof y === 'string' ? (x < y ? -1 : x > y ? 1 : 0) : compare(x, y, false);
        if (d) return s.desc ? -d : d;
      }
      return 0;
    });
  }
  if (q.groupBy.length || q.counts.length) return aggregate(store, o, q, fieldSteps, rows);
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  return rows.map((r) => shape(store, o, r, fieldSteps, version));
}

/** GROUP BY with COUNT: one AggregateResult per group (the grouped fields by name, the counts as expr0...). */
function aggregate(store: OrgStore, o: ObjectDef, q: SoqlQuery, fieldSteps: Array<{ path: string; steps: Array<{ object: ObjectDef; field: string }> }>, rows: SfRecord[]): Record<string, unknown>[] {
  const grouped = new Set(q.groupBy.map((g) => g.toLowerCase()));
  const loose = q.fields.find((f) => !grouped.has(f.toLowerCase()));
  if (loose) throw new SoqlError('MALFORMED_QUERY', `Field must be grouped or aggregated: ${loose}`);
  const groups = new Map<string, { values: SfValue[]; rows: SfRecord[] }>();
  for (const r of rows) {
    const values = fieldSteps.map((f) => valueAt(store, r, f.steps));
    // Groups compare text without case, as SOQL does.
    const key = JSON.stringify(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)));
    const g = groups.get(key) ?? { values, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  let out = [...groups.values()].map((g) => {
    const rec: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    fieldSteps.forEach((f, k) => (rec[f.steps[f.steps.length - 1].field] = g.values[k]));
    q.counts.forEach((c, k) => {
      const steps = c.field ? resolvePath(store, o, c.field) : undefined;
      rec[`expr${k}`] = steps ? g.rows.filter((r) => valueAt(store, r, steps) !== null).length : g.rows.length;
    });
    return rec;
  });
  if (q.limit !== undefined) out = out.slice(0, q.limit);
  return out;
}
