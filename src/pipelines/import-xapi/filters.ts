import type { Condition, Filter } from './import-options.ts';
import { parseDate, parseNumber, type DateSettings } from './values.ts';

export type FilterOutcome = { pass: true } | { pass: false; filter: string } | { reject: true; column: string; reason: string };

function holds(k: Condition, raw: string, s: DateSettings): boolean | { reason: string } {
  const cell = raw.trim();
  switch (k.op) {
    case 'is_empty':
      return cell === '';
    case 'is_not_empty':
      return cell !== '';
    case 'equals':
      return cell === k.value.trim();
    case 'not_equals':
      return cell !== k.value.trim();
    case 'contains':
      return cell.includes(k.value);
    case 'gt':
    case 'lt': {
      // A number in the condition compares numbers, otherwise dates; a cell of another kind is a bad row.
      const want = parseNumber(k.value);
      let a: number | undefined;
      let b: number | undefined;
      if (want !== undefined) {
        a = parseNumber(cell);
        b = want;
        if (a === undefined) return { reason: `${k.op} ${k.value}: "${raw}" is not a number` };
      } else {
        a = parseDate(cell, s)?.getTime();
        b = parseDate(k.value, s)?.getTime();
        if (a === undefined) return { reason: `${k.op} ${k.value}: "${raw}" is not a date (ISO 8601${s.dateFormat ? ` or ${s.dateFormat}` : ''})` };
        if (b === undefined) return { reason: `${k.op} ${k.value}: the condition's value is neither a number nor a date` };
      }
      return k.op === 'gt' ? a > b : a < b;
    }
  }
}

/**
 * Applies the filters to a row: it passes when it passes every filter (AND between filters); within a
 * filter, match "all" needs every condition (AND), "any" one of them (OR). A condition that cannot be
 * evaluated (gt/lt on a non-number or non-date cell) rejects the row instead of filtering it silently.
 */
export function applyFilters(filters: Filter[], values: Record<string, string>, s: DateSettings): FilterOutcome {
  for (const f of filters) {
    let any = false;
    let all = true;
    for (const k of f.conditions) {
      const r = holds(k, values[k.column] ?? '', s);
      if (typeof r === 'object') return { reject: true, column: k.column, reason: `filter "${f.name}": ${r.reason}` };
      any ||= r;
      all &&= r;
    }
    if (!(f.match === 'any' ? any : all)) return { pass: false, filter: f.name };
  }
  return { pass: true };
}
