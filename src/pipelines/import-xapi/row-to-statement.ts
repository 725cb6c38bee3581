import { LrsErrors } from '../../lrs/errors.ts';
import { validateStatement } from '../../lrs/validate-statement.ts';
import type { Configuration, Mapping } from './import-options.ts';
import { REQUIRED_PATHS } from './import-options.ts';
import { parseImportPath, setAtPath, type PathStep } from './json-path.ts';
import { statementIdOf } from './statement-id.ts';
import { convert, type DateSettings } from './values.ts';

type Obj = Record<string, unknown>;

/** The xAPI version imported statements are validated and stored as (the LRS's current version). */
export const IMPORT_XAPI_VERSION = '2.0.0' as const;

/** A configuration prepared for converting many rows: paths parsed once. */
export interface CompiledConfiguration {
  config: Configuration;
  mappings: Array<Mapping & { steps: PathStep[]; dotted: string; required: boolean }>;
  dates: DateSettings;
  /** Every column the configuration reads (mappings and filters), for the header check. */
  columns: string[];
}

// The validator names properties with dots (extension IRIs included), e.g. "context.extensions.http://x/y".
const dotted = (steps: PathStep[]) => steps.map((s, i) => ('index' in s ? `[${s.index}]` : i === 0 ? s.key : `.${s.key}`)).join('');

/** Parses a configuration's paths once for a file's rows. */
export function compileConfiguration(config: Configuration): CompiledConfiguration {
  const mappings = config.mappings.map((m, i) => {
    const steps = parseImportPath(m.path, `mappings.${i}.path`);
    return { ...m, steps, dotted: dotted(steps), required: (REQUIRED_PATHS as readonly string[]).includes(m.path) };
  });
  const columns = [...new Set([...mappings.map((m) => m.column), ...config.filters.flatMap((f) => f.conditions.map((k) => k.column))])].filter(Boolean);
  return { config, mappings, dates: { dateFormat: config.dateFormat, timeZone: config.timeZone }, columns };
}

export type RowOutcome = { ok: true; id: string; statement: Obj } | { ok: false; column: string; reason: string };

// An mbox (actor.mbox, context.instructor.mbox, an Agent object's mbox) holds a "mailto:" IRI; CSV files
// usually hold the bare address.
const isMboxPath = (m: { steps: PathStep[] }) => {
  const last = m.steps[m.steps.length - 1];
  return 'key' in last && last.key === 'mbox';
};

/**
 * Turns one CSV row into the statement the LRS would store (before it adds stored, authority, version):
 * each mapped, non-empty cell converted to its type and set at its path; "mailto:" prepended to mbox
 * values without it; the deterministic id (statement-id.ts); then validated exactly as a POSTed statement.
 * A failure names the property and the CSV column it came from.
 */
export function rowToStatement(c: CompiledConfiguration, values: Record<string, string>): RowOutcome {
  const statement: Obj = {};
  for (const m of c.mappings) {
    const raw = values[m.column] ?? '';
    if (raw.trim() === '') {
      if (m.required) return { ok: false, column: m.column, reason: `${m.path}: is required, and the column "${m.column}" is empty` };
      continue;
    }
    let value: unknown;
    if (isMboxPath(m) && m.type === 'string') {
      const v = raw.trim();
      value = /^mailto:/i.test(v) ? v : `mailto:${v}`;
    } else {
      const r = convert(raw.trim(), m.type, c.dates);
      if (!r.ok) return { ok: false, column: m.column, reason: `${m.path}: ${r.reason} (type ${m.type})` };
      value = r.value;
    }
    if (!setAtPath(statement, m.steps, value)) return { ok: false, column: m.column, reason: `${m.path}: another mapping put a value where this path needs an object` };
  }
  statement.id = statementIdOf(c.config.id, values);
  try {
    validateStatement(statement, IMPORT_XAPI_VERSION, 'statement');
  } catch (e) {
    if (!LrsErrors.INVALID_STATEMENT.is(e)) throw e;
    const where = (e.field ?? '').replace(/^statement\.?/, '');
    const detail = e.message.replace(/^invalid statement: /, '').replace(/^statement\./, '');
    return { ok: false, column: columnOf(c, where), reason: detail };
  }
  return { ok: true, id: statement.id as string, statement };
}

/** The column behind a property the validator names: the mapping at it or under it. */
function columnOf(c: CompiledConfiguration, where: string): string {
  let best: { column: string; len: number } | undefined;
  for (const m of c.mappings) {
    const at = m.dotted === where || where.startsWith(m.dotted + '.') || where.startsWith(m.dotted + '[');
    if (at && (!best || m.dotted.length > best.len)) best = { column: m.column, len: m.dotted.length };
  }
  if (best) return best.column;
  const under = c.mappings.find((m) => where === '' || m.dotted.startsWith(where + '.') || m.dotted.startsWith(where + '['));
  return under?.column ?? '';
}
