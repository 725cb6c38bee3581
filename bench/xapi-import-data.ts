// The file and the configuration of bench/xapi-import.ts: an LMS activity export as an admin would drop it in
// import/xapi/ (about 290 bytes a row: 500,000 rows are ~145 MB, the size of the file in issue 19).
import fs from 'node:fs';
import { once } from 'node:events';
import { mulberry32 } from '../src/platform/seed/prng.ts';

/** The tables an import writes, with the columns the floor loads (dumped and loaded in this order). */
export const FLOOR_TABLES: Array<[string, string]> = [
  ['lrs_statements', 'account_id, id, stored, actor_key, verb_id, object_activity_id, object_statement_id, registration, voided, is_voiding, timestamp, statement, attachment_hashes'],
  ['lrs_statement_agents', 'account_id, agent_key, stored, seq, direct'],
  ['lrs_statement_activities', 'account_id, activity_id, stored, seq, direct'],
  ['lrs_activities', 'account_id, activity_id, activity'],
];

const EXT = 'http://lms.example.com/ext';
export const HEADER = [
  'Learner Email', 'Learner Name', 'Verb', 'Verb Name', 'Activity ID', 'Activity Name', 'Activity Type', 'Registration',
  'Started At', 'Completed At', 'Score', 'Raw Score', 'Passed', 'Completed', 'Duration', 'Attempt', 'Department', 'Region',
  'Status',
];

/** Every type, required and optional paths, a language map, IRI-keyed extensions in context and result. */
export const CONFIGURATION = {
  name: 'LMS activity',
  sourceFileName: 'lms_activity_*.csv',
  dateFormat: 'MM/dd/yyyy HH:mm',
  timeZone: 'America/Chicago',
  filters: [{ name: 'no test rows', match: 'all', conditions: [{ column: 'Status', op: 'not_equals', value: 'test' }] }],
  mappings: [
    { path: 'actor.mbox', column: 'Learner Email', type: 'string' },
    { path: 'actor.name', column: 'Learner Name', type: 'string' },
    { path: 'verb.id', column: 'Verb', type: 'string' },
    { path: 'verb.display.en-US', column: 'Verb Name', type: 'string' },
    { path: 'object.id', column: 'Activity ID', type: 'string' },
    { path: 'object.definition.name.en-US', column: 'Activity Name', type: 'string' },
    { path: 'object.definition.type', column: 'Activity Type', type: 'string' },
    { path: 'context.registration', column: 'Registration', type: 'string' },
    { path: 'timestamp', column: 'Completed At', type: 'date' },
    { path: 'result.score.scaled', column: 'Score', type: 'number' },
    { path: 'result.score.raw', column: 'Raw Score', type: 'number' },
    { path: 'result.success', column: 'Passed', type: 'boolean' },
    { path: 'result.completion', column: 'Completed', type: 'boolean' },
    { path: 'result.duration', column: 'Duration', type: 'string' },
    { path: `result.extensions["${EXT}/attempt"]`, column: 'Attempt', type: 'number' },
    { path: `context.extensions.${EXT}/started-at`, column: 'Started At', type: 'date' },
    { path: `context.extensions.${EXT}/department`, column: 'Department', type: 'string' },
    { path: `context.extensions.${EXT}/region`, column: 'Region', type: 'string' },
  ],
};

const FIRST = ['Ana', 'Zoë', 'José', 'Björn', 'Chloé', 'Søren', 'Łukasz', 'Ayşe', 'Dmitri', 'Mei', 'Grace', 'Oluwaseun', 'François', 'Ngọc', 'Priya', 'Jürgen', 'Siobhán', 'Kenji', 'Renée', 'Tomás'];
const LAST = ['Müller', "O'Brien", 'García', 'Nguyễn', 'Smith', 'Kowalski', 'Øvergaard', 'Yılmaz', 'Dubois', 'Tanaka', 'Johansson', 'Rossi', 'Ivanova', 'Okafor', 'Patel', 'Lefèvre', 'Brown', 'Costa', 'Novák', 'Kim'];
const VERBS: Array<[string, string]> = [
  ['http://adlnet.gov/expapi/verbs/completed', 'completed'],
  ['http://adlnet.gov/expapi/verbs/passed', 'passed'],
  ['http://adlnet.gov/expapi/verbs/failed', 'failed'],
  ['http://adlnet.gov/expapi/verbs/attempted', 'attempted'],
  ['http://adlnet.gov/expapi/verbs/experienced', 'experienced'],
];
const TOPICS = ['Safety, Health & Environment', 'Data Privacy (GDPR)', 'Leadership: Coaching "difficult" conversations', 'Excel, Advanced', 'Onboarding', 'Café operations', 'Anti-bribery', 'Forklift — refresher', 'Customer service', 'Cloud security basics'];
const TYPES = ['http://adlnet.gov/expapi/activities/course', 'http://adlnet.gov/expapi/activities/assessment', 'http://adlnet.gov/expapi/activities/module'];
const DEPTS = ['Sales', 'R&D', 'Finance, Controlling', 'Operations', 'Human Resources', 'Legal', 'Marketing', 'Support'];
const REGIONS = ['EMEA', 'NA', 'LATAM', 'APAC', 'Île-de-France', 'São Paulo'];

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const pad = (n: number) => String(n).padStart(2, '0');
const hex = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');

export interface DataShape {
  rows: number;
  /** Rows the filter skips (Status "test"). */
  skipped: number;
  /** Rows that cannot become statements (bad email, score not a number). */
  rejected: number;
  /** Rows that repeat an earlier row exactly (same statement id: counted unchanged). */
  repeats: number;
}

/**
 * Writes `rows` data rows: 1% test rows (skipped by the filter), 0.05% bad rows (rejected), 0.2% exact repeats
 * of a row ~2,000 rows earlier (another batch: one statement, the repeat unchanged, in a real run and a dry run).
 */
export async function writeActivityCsv(file: string, rows: number): Promise<DataShape> {
  const r = mulberry32(19); // the same file every run
  const w = fs.createWriteStream(file);
  const shape: DataShape = { rows, skipped: 0, rejected: 0, repeats: 0 };
  const recent: Array<{ line: string; kind: 'ok' | 'skipped' | 'rejected' }> = [];
  let buf = '\ufeff' + HEADER.join(',') + '\r\n';
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < rows; i++) {
    let line: string;
    let kind: 'ok' | 'skipped' | 'rejected' = 'ok';
    if (i % 500 === 250 && recent.length >= 2000) {
      ({ line, kind } = recent[recent.length - 2000]);
      if (kind === 'ok') shape.repeats++;
      else shape[kind]++;
    } else {
      const learner = Math.floor(r() * 40_000);
      const first = FIRST[learner % FIRST.length];
      const last = LAST[Math.floor(learner / FIRST.length) % LAST.length];
      const [verb, verbName] = VERBS[Math.floor(r() * VERBS.length)];
      const course = Math.floor(r() * 3000);
      const started = t0 + Math.floor(r() * 330 * 86_400_000);
      const secs = 60 + Math.floor(r() * 7200);
      const done = new Date(started + secs * 1000);
      const score = Math.floor(r() * 101);
      const test = i % 100 === 37;
      const bad = i % 2000 === 1999;
      const cells = [
        bad && i % 4000 === 1999 ? `${first} ${last}` : `learner${learner}@acme.example`,
        `${last}, ${first}`,
        verb,
        verbName,
        `https://lms.acme.example/c${course}/m${course % 12}`,
        `${TOPICS[course % TOPICS.length]} ${course % 7}`,
        TYPES[course % TYPES.length],
        r() < 0.15 ? `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}` : '',
        new Date(started).toISOString().slice(0, 19) + 'Z',
        // half in ISO 8601 with an offset, half in the configured format (America/Chicago)
        i % 2 ? done.toISOString().slice(0, 19) + '+00:00' : `${pad(done.getUTCMonth() + 1)}/${pad(done.getUTCDate())}/${done.getUTCFullYear()} ${pad(done.getUTCHours())}:${pad(done.getUTCMinutes())}`,
        bad && i % 4000 !== 1999 ? 'n/a' : (score / 100).toString(),
        String(score),
        score >= 70 ? 'yes' : 'no',
        r() < 0.9 ? 'true' : 'false',
        `PT${Math.floor(secs / 3600)}H${Math.floor((secs % 3600) / 60)}M${secs % 60}S`,
        String(1 + Math.floor(r() * 3)),
        DEPTS[learner % DEPTS.length],
        REGIONS[learner % REGIONS.length],
        test ? 'test' : 'live',
      ];
      line = cells.map(quote).join(',') + '\r\n';
      kind = test ? 'skipped' : bad ? 'rejected' : 'ok';
      if (kind !== 'ok') shape[kind]++;
    }
    recent.push({ line, kind });
    if (recent.length > 4000) recent.splice(0, 2000);
    buf += line;
    if (buf.length > 1 << 20) {
      if (!w.write(buf)) await once(w, 'drain');
      buf = '';
    }
  }
  w.end(buf);
  await once(w, 'finish');
  return shape;
}
