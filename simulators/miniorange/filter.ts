/**
 * The part of the SCIM filter grammar (RFC 7644 §3.4.2.2) the simulator answers: `attrPath op value` joined
 * by `and`, with attrPath a dotted path (`meta.lastModified`, `emails.value`, `name.familyName`) optionally
 * prefixed by a schema URN, and the operators eq ne co sw ew gt ge lt le pr. Anything else is refused with
 * 400 scimType invalidFilter, as RFC 7644 §3.12 says a server does for a filter it cannot take.
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.2.2
 */
export class InvalidFilter extends Error {}

type Op = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';
interface Cond {
  path: string[];
  urn?: string;
  op: Op;
  value?: string | number | boolean | null;
}

const COND = /^\s*((?:urn:[^\s]+:)?[A-Za-z$][\w$]*(?:\.[A-Za-z$][\w$]*)*)\s+(eq|ne|co|sw|ew|gt|ge|lt|le|pr)\b\s*("(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)?\s*$/i;

export function parseFilter(text: string): Cond[] {
  if (!text.trim()) throw new InvalidFilter('The filter is empty.');
  return text.split(/\s+and\s+/i).map((part) => {
    if (/\s(or)\s|[()[\]]|^\s*not\b/i.test(part)) throw new InvalidFilter(`The filter "${text}" uses a construct this endpoint does not support (or, not, grouping, value paths).`);
    const m = COND.exec(part);
    if (!m) throw new InvalidFilter(`The filter "${part.trim()}" is not a valid SCIM filter expression.`);
    const op = m[2].toLowerCase() as Op;
    if (op !== 'pr' && m[3] === undefined) throw new InvalidFilter(`The operator ${op} needs a value.`);
    let attr = m[1];
    let urn: string | undefined;
    const cut = attr.lastIndexOf(':');
    if (attr.startsWith('urn:') && cut > 0) {
      urn = attr.slice(0, cut);
      attr = attr.slice(cut + 1);
    }
    const raw = m[3];
    const value = raw === undefined ? undefined : raw.startsWith('"') ? (JSON.parse(raw) as string) : raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : Number(raw);
    return { path: attr.split('.'), urn, op, value };
  });
}

/** The values at a path (multi-valued attributes give several: `emails.value` matches any email). */
function valuesAt(resource: Record<string, unknown>, c: Cond): unknown[] {
  let cur: unknown[] = [c.urn ? resource[c.urn] : resource];
  for (const key of c.path) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (!v || typeof v !== 'object') continue;
      // Attribute names are case-insensitive (RFC 7643 §2.1).
      const k = Object.keys(v).find((x) => x.toLowerCase() === key.toLowerCase());
      const x = k === undefined ? undefined : (v as Record<string, unknown>)[k];
      if (Array.isArray(x)) next.push(...x);
      else if (x !== undefined && x !== null) next.push(x);
    }
    cur = next;
  }
  return cur;
}

const ISO = /^\d{4}-\d{2}-\d{2}T/;

function compare(a: unknown, op: Op, b: Cond['value']): boolean {
  if (op === 'pr') return a !== undefined && a !== null && a !== '';
  if (typeof a === 'string' && typeof b === 'string') {
    // dateTime attributes compare as instants; other strings case-insensitively (caseExact false).
    if (ISO.test(a) && ISO.test(b)) {
      const x = Date.parse(a);
      const y = Date.parse(b);
      if (Number.isNaN(y)) throw new InvalidFilter(`"${b}" is not a valid dateTime.`);
      return op === 'eq' ? x === y : op === 'ne' ? x !== y : op === 'gt' ? x > y : op === 'ge' ? x >= y : op === 'lt' ? x < y : op === 'le' ? x <= y : false;
    }
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    switch (op) {
      case 'eq': return x === y;
      case 'ne': return x !== y;
      case 'co': return x.includes(y);
      case 'sw': return x.startsWith(y);
      case 'ew': return x.endsWith(y);
      case 'gt': return x > y;
      case 'ge': return x >= y;
      case 'lt': return x < y;
      case 'le': return x <= y;
    }
  }
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (typeof a === 'number' && typeof b === 'number') return op === 'gt' ? a > b : op === 'ge' ? a >= b : op === 'lt' ? a < b : op === 'le' ? a <= b : false;
  if (typeof a === 'boolean') throw new InvalidFilter(`The operator ${op} cannot be used with a boolean attribute.`);
  return false;
}

export function matches(resource: Record<string, unknown>, conds: Cond[]): boolean {
  return conds.every((c) => {
    const vs = valuesAt(resource, c);
    if (c.op === 'ne') return vs.every((v) => compare(v, 'ne', c.value ?? null));
    return vs.some((v) => compare(v, c.op, c.value ?? null));
  });
}
