import { normalizeStatement } from './normalize.ts';
import { parseTimestamp } from './validate-statement.ts';

/**
 * Statement comparison (xAPI Data 2.3 "Statement Comparison"): the properties the LRS sets (id, stored,
 * authority, version) are ignored, timestamps compare as instants, durations to 0.01 s, and object key
 * order never matters. Used for idempotent re-sends (same → accepted, different → 409) and signatures.
 */
type Obj = Record<string, any>;

function truncateDuration(d: string): string {
  // Seconds beyond two decimals are not part of the comparison.
  return d.replace(/(\d+)[.,](\d+)S$/, (_m, s: string, f: string) => `${s}.${f.slice(0, 2).padEnd(2, '0')}S`).replace(/\.00S$/, 'S');
}

function normalizeCore(s: Obj): Obj {
  const o: Obj = { ...s };
  if (typeof o.timestamp === 'string') o.timestamp = parseTimestamp(o.timestamp)?.toISOString() ?? o.timestamp;
  if (o.result && typeof o.result.duration === 'string') o.result = { ...o.result, duration: truncateDuration(o.result.duration) };
  if (o.object?.objectType === 'SubStatement') o.object = normalizeCore(o.object);
  return o;
}

function normalize(s: Obj, ignoreTimestamp: boolean): Obj {
  const { id: _i, stored: _s, authority: _a, version: _v, ...rest } = s;
  const o = normalizeCore(normalizeStatement(rest));
  if (ignoreTimestamp) delete o.timestamp;
  return o;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (v && typeof v === 'object') {
    return '{' + Object.keys(v).filter((k) => (v as Obj)[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson((v as Obj)[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

/**
 * True when `incoming` (as sent) is the same statement as `stored`. A timestamp the sender left out (and
 * the LRS filled in) is not compared.
 */
export function sameStatement(incoming: Obj, stored: Obj): boolean {
  const noTs = incoming.timestamp === undefined;
  return canonicalJson(normalize(incoming, noTs)) === canonicalJson(normalize(stored, noTs));
}
