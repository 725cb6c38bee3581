// A generated activity CSV and the configuration that imports it, shared by the xAPI import tests.

export const DEPT = 'http://example.com/ext/department';
export const DUE = 'http://example.com/ext/due';
export const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';

export const HEADER = ['email', 'verb', 'verb_name', 'activity', 'score', 'score_raw', 'passed', 'completed_at', 'due', 'dept', 'kind', 'status', 'note'];

/** Rows that pass the filters but cannot become statements, by row index, with the column named in the report. */
export const BAD_ROWS: Record<number, { column: string; reason: RegExp }> = {
  111: { column: 'email', reason: /actor\.mbox: must be a "mailto:" IRI/ },
  112: { column: 'verb', reason: /verb\.id: must be an absolute IRI/ },
  113: { column: 'score', reason: /result\.score\.scaled: "abc" is not a number/ },
  114: { column: 'due', reason: /"someday" is not a date/ },
  115: { column: 'score_raw', reason: /filter "range": gt -1: "n\/a" is not a number/ },
  116: { column: 'passed', reason: /result\.success: "maybe" is not a boolean/ },
  117: { column: 'completed_at', reason: /filter "range": lt 2027-01-01: "yesterday" is not a date/ },
};

/** Row i of the generated file (values chosen so that every filter operator skips some rows). */
export function row(i: number): string[] {
  const minute = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const r = {
    // half the addresses without "mailto:" (the import prepends it)
    email: i % 2 ? `user${i % 500}@example.com` : `mailto:user${i % 500}@example.com`,
    verb: COMPLETED,
    verb_name: 'completed',
    activity: `http://example.com/activities/a${i % 50}`,
    score: ((i % 100) / 100).toString(),
    score_raw: String(i % 100),
    passed: i % 3 === 0 ? 'false' : i % 3 === 1 ? 'true' : 'yes',
    completed_at: minute,
    // ISO dates and the configured format (MM/dd/yyyy HH:mm)
    due: i % 2 ? '2026-05-01' : '05/01/2026 10:30',
    dept: i % 25 === 2 ? '' : `Dept ${i % 7}`,
    kind: i % 50 === 1 ? 'other' : 'lms',
    status: i % 20 === 0 ? 'test' : 'live',
    note: i % 30 === 3 ? 'drop this' : i % 30 === 4 ? 'please keep' : '',
  };
  if (i === 111) r.email = 'not-an-email';
  if (i === 112) r.verb = 'completed';
  if (i === 113) r.score = 'abc';
  if (i === 114) r.due = 'someday';
  if (i === 115) r.score_raw = 'n/a';
  if (i === 116) r.passed = 'maybe';
  if (i === 117) r.completed_at = 'yesterday';
  return HEADER.map((h) => r[h as keyof typeof r]);
}

/** Whether the filters skip row i (mirrors FILTERS). */
export function skipped(i: number): boolean {
  return i % 20 === 0 || i % 25 === 2 || i % 50 === 1 || i % 30 === 3;
}

/** Row i's values by column, as the import sees them (what its statement id is derived from). */
export const valuesOf = (i: number): Record<string, string> => Object.fromEntries(HEADER.map((h, k) => [h, row(i)[k]]));

/** The run counts of importing rows [from, to) with CONFIG. */
export function expectedCounts(from: number, to: number) {
  let skip = 0;
  let bad = 0;
  for (let i = from; i < to; i++) {
    if (skipped(i)) skip++;
    else if (BAD_ROWS[i]) bad++;
  }
  return { read: to - from, skipped: skip, rejected: bad, created: to - from - skip - bad };
}

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The CSV text of rows [from, to). */
export function csvText(from: number, to: number, header = HEADER, rowOf = row): string {
  const lines = [header.join(',')];
  for (let i = from; i < to; i++) lines.push(rowOf(i).map(quote).join(','));
  return lines.join('\n') + '\n';
}

/** Every operator and every type. */
export const FILTERS = [
  { name: 'live LMS rows', match: 'all', conditions: [
    { column: 'status', op: 'not_equals', value: 'test' },
    { column: 'kind', op: 'equals', value: 'lms' },
    { column: 'dept', op: 'is_not_empty', value: '' },
  ] },
  { name: 'notes', match: 'any', conditions: [
    { column: 'note', op: 'is_empty', value: '' },
    { column: 'note', op: 'contains', value: 'keep' },
  ] },
  { name: 'range', match: 'all', conditions: [
    { column: 'score_raw', op: 'gt', value: '-1' },
    { column: 'completed_at', op: 'lt', value: '2027-01-01' },
  ] },
];

export const MAPPINGS = [
  { path: 'actor.mbox', column: 'email', type: 'string' },
  { path: 'verb.id', column: 'verb', type: 'string' },
  { path: 'verb.display.en-US', column: 'verb_name', type: 'string' },
  { path: 'object.id', column: 'activity', type: 'string' },
  { path: 'result.score.scaled', column: 'score', type: 'number' },
  { path: 'result.success', column: 'passed', type: 'boolean' },
  { path: 'timestamp', column: 'completed_at', type: 'date' },
  { path: `result.extensions["${DUE}"]`, column: 'due', type: 'date' },
  { path: `context.extensions.${DEPT}`, column: 'dept', type: 'string' },
];

export const CONFIG = { name: 'LMS activity', sourceFileName: 'activity_*.csv', dateFormat: 'MM/dd/yyyy HH:mm', filters: FILTERS, mappings: MAPPINGS };
