import { decodeRecord, type RecordRewriter } from '../../kit/csv/csv-to-copy.ts';
import { asciiLower, EmailKeys, isAscii } from '../../platform/user-import/email-filter.ts';
import type { ImportPlanShape, UserImportFilters } from '../../platform/user-import/import-options.ts';

const QUOTE = 34;
const COMMA = 44;
const SPACE = 32;
const BACKSLASH = 92;

/**
 * What makes an email address (and a manager column's value) acceptable: something@something.something
 * without blanks, commas, semicolons, angle brackets or quotes. The blanks are ASCII ones, as in the
 * import's first (SQL) version of this rule: `[^@[:space:],;<>"]` in PostgreSQL's C locale.
 */
export const EMAIL_PATTERN = /^[^@ \t\n\v\f\r,;<>"]+@[^@ \t\n\v\f\r,;<>"]+\.[^@ \t\n\v\f\r,;<>"]+$/;

/**
 * One rule for the whole platform (the users API refuses them too): e-mail addresses are ASCII. Case is
 * folded for ASCII letters only, so "ÉMILE@" and "émile@" could otherwise become two users; internationalized
 * addresses (RFC 6531) would also need mail servers that accept them.
 */
const NON_ASCII_EMAIL = (v: string) => `e-mail address "${v}" has characters outside ASCII (accented letters and other scripts are not accepted in e-mail addresses)`;

/** A RecordRewriter that can also give a record's row as a string (the reference path, for tests). */
export interface UserRowWriter extends RecordRewriter {
  /** The row of a record, built from decoded strings: `write` puts out exactly these bytes. */
  rowAsText(rec: Buffer, line: number, problem: string | undefined): string;
}

/**
 * Turns each CSV record of one file into its normalized staging row (columns: rowColumns in
 * src/platform/user-import/staging.ts), in Node while PostgreSQL ingests the
 * previous ones (the two run on two cores; in SQL the same work was a second pass over a million rows):
 * - the mapped values, trimmed of spaces and tabs, empty -> NULL, at most MAX_VALUE_LENGTH characters (user type in lower case);
 * - whether the value filters keep the row;
 * - the first reason to reject it and the column that reason names: malformed record (ragged, NUL byte),
 *   missing or invalid email, missing name, bad user type, a manager that is not an email address, a user
 *   who is their own manager (compared ASCII-folded; with non-ASCII bytes the database's lower() decides:
 *   see finishRows);
 * - what EmailKeys learns of the keys (whether any e-mail may appear twice);
 * - the profile and active-field documents (JSON of the non-null values), when `docs`: parsing them (for the
 *   rows that change) costs the database half of building them there. Without `docs` (an account that has
 *   users already, where few rows change) both are NULL and the plan builds the few it needs.
 * Lower-cased keys (em, mgr) are generated columns of the staging table: lower() is the database's.
 *
 * A valid record without anything to escape (nearly all of them) is written byte for byte, without
 * decoding a string; any other goes through the string path (slowRow), which gives the same row.
 *
 * @param headerWidth the number of columns in the file's header
 * @param positions   header position of each required column (shape.requiredColumns order)
 * @param docs        whether to write the documents (see above)
 */
export function userRowWriter(
  shape: ImportPlanShape,
  filters: UserImportFilters,
  fileNo: number,
  headerWidth: number,
  positions: number[],
  keys: EmailKeys = new EmailKeys(),
  docs = true,
): UserRowWriter {
  // Without ASCII folding that matches the database's lower(), the own-manager check is left to SQL.
  const selfCheck = !keys.needsDatabaseLower;
  const idx = (column: string) => shape.requiredColumns.findIndex((c) => c.toLowerCase() === column.toLowerCase());
  // Which required column each header position feeds (-1: not read).
  const want = new Int32Array(headerWidth).fill(-1);
  positions.forEach((p, k) => (want[p] = k));
  const nk = shape.requiredColumns.length;
  const vals: Array<string | null> = new Array(nk).fill(null);
  const starts = new Int32Array(nk);
  const ends = new Int32Array(nk);
  const kEmail = idx(shape.email);
  const kName = idx(shape.name);
  const kMgr = idx(shape.manager);
  const kType = shape.userType ? idx(shape.userType) : -1;
  const kProfile = shape.profile.map((p) => idx(p.column));
  const kFields = shape.fields.map((f) => idx(f.column));
  const profileKeys = shape.profile.map((p) => JSON.stringify(p.key) + ':');
  const fieldKeys = shape.fields.map((f) => JSON.stringify(f.name) + ':');
  const profileKeyBytes = profileKeys.map((k) => Buffer.from(k + '"'));
  const fieldKeyBytes = fieldKeys.map((k) => Buffer.from(k + '"'));
  const valueFilters = filters.values.map((f) => ({ k: idx(f.column), values: new Set(f.values.map(trimSpaces)) }));
  const prefix = Buffer.from(`${fileNo}\t`);
  const nullRow = `\\N\t`.repeat(4 + kProfile.length + kFields.length);
  const NULL = Buffer.from('\\N');
  const TYPES = [Buffer.from('internal'), Buffer.from('external')];
  const TAIL = Buffer.from('\tf\t\\N\t\\N\t');
  const noDocs = docs ? undefined : '\\N\t\\N';
  const NO_DOCS = Buffer.from('\\N\t\\N');
  const fixed = 256 + profileKeyBytes.reduce((a, b) => a + b.length + 2, 0) + fieldKeyBytes.reduce((a, b) => a + b.length + 2, 0) + 8 * (nk + 8);

  const doc = (keys: string[], ks: number[]) => {
    let out = '{';
    for (let i = 0; i < ks.length; i++) {
      const v = vals[ks[i]];
      if (v === null) continue;
      out += (out.length > 1 ? ',' : '') + keys[i] + JSON.stringify(v);
    }
    return out + '}';
  };

  /** Any record: values decoded to strings, everything escaped. */
  const slowRow = (rec: Buffer, line: number, problem: string | undefined): string => {
    if (problem) {
      // All values NULL and always included: a malformed record is a reject whatever the filters (its values
      // cannot be read, so no filter can tell it is out of scope; skipping it would hide it from the report).
      return `${fileNo}\t${line}\t${nullRow}t\tt\t${text(problem)}\t\\N\t${noDocs ?? '{}\t{}'}\n`;
    }
    splitRecord(rec, want, vals);
    const included = keeps(valueFilters, vals);
    const email = vals[kEmail];
    const name = vals[kName];
    const mgr = vals[kMgr];
    let type = kType >= 0 ? vals[kType] : null;
    if (type !== null) type = type.toLowerCase();
    let reason: string | null = null;
    let field: string | null = null;
    const long = vals.findIndex((v) => v !== null && v.length > MAX_VALUE_LENGTH);
    if (long >= 0) [reason, field] = [`value too long: ${vals[long]!.length} characters (at most ${MAX_VALUE_LENGTH})`, shape.requiredColumns[long]];
    else if (email === null) [reason, field] = ['missing email', 'email'];
    else if (!EMAIL_PATTERN.test(email)) [reason, field] = [`invalid email address "${email}"`, 'email'];
    else if (!isAscii(email)) [reason, field] = [NON_ASCII_EMAIL(email), 'email'];
    else if (name === null) [reason, field] = ['missing required value: name', 'name'];
    else if (type !== null && type !== 'internal' && type !== 'external') [reason, field] = [`invalid user type "${type}" (internal or external)`, 'user type'];
    else if (mgr !== null && !EMAIL_PATTERN.test(mgr)) [reason, field] = [`the manager "${mgr.toLowerCase()}" is not an email address`, 'manager'];
    else if (mgr !== null && !isAscii(mgr)) [reason, field] = [`the manager's ${NON_ASCII_EMAIL(mgr)}`, 'manager'];
    else if (selfCheck && mgr !== null && isAscii(mgr) && isAscii(email) && asciiLower(mgr) === asciiLower(email)) [reason, field] = ['manager cycle: the user is their own manager', 'manager'];
    if (email !== null) keys.addString(email);
    if (mgr !== null) keys.noteManagerString(mgr);
    let row = `${fileNo}\t${line}\t${text(email)}\t${text(name)}\t${text(mgr)}\t${text(type)}\t`;
    for (const k of kProfile) row += text(vals[k]) + '\t';
    for (const k of kFields) row += text(vals[k]) + '\t';
    return `${row}${included ? 't' : 'f'}\tf\t${text(reason)}\t${text(field)}\t${noDocs ?? `${text(doc(profileKeys, kProfile))}\t${text(doc(fieldKeys, kFields))}`}\n`;
  };

  return {
    rowAsText: slowRow,
    // The string path may escape every byte (JSON \u00XX, then COPY's backslash doubled) in two places.
    maxBytes: (n) => 16 * n + fixed,
    write(rec, line, problem, out, pos) {
      if (problem || !locateFields(rec, want, starts, ends)) return pos + out.write(slowRow(rec, line, problem), pos, 'utf8');
      // A value of more bytes than MAX_VALUE_LENGTH may have too many characters: the string path counts them.
      for (let k = 0; k < nk; k++) if (ends[k] - starts[k] > MAX_VALUE_LENGTH) return pos + out.write(slowRow(rec, line, problem), pos, 'utf8');
      const se = starts[kEmail], ee = ends[kEmail];
      const sm = starts[kMgr], em = ends[kMgr];
      let type = -1;
      if (kType >= 0 && starts[kType] < ends[kType]) {
        type = equalsIgnoreCase(rec, starts[kType], ends[kType], TYPES[0]) ? 0 : equalsIgnoreCase(rec, starts[kType], ends[kType], TYPES[1]) ? 1 : -1;
        if (type < 0) return pos + out.write(slowRow(rec, line, problem), pos, 'utf8');
      }
      // Anything to reject goes the string way (it needs the values for its message).
      if (!isEmail(rec, se, ee) || starts[kName] === ends[kName] || (sm < em && !isEmail(rec, sm, em))) return pos + out.write(slowRow(rec, line, problem), pos, 'utf8');
      if (selfCheck && sm < em && equalsFolded(rec, se, ee, sm, em)) return pos + out.write(slowRow(rec, line, problem), pos, 'utf8');
      keys.add(rec, se, ee);
      if (sm < em) keys.noteManager(rec, sm, em);
      let included = true;
      if (valueFilters.length) {
        for (const f of valueFilters) vals[f.k] = rec.toString('utf8', starts[f.k], ends[f.k]);
        included = keeps(valueFilters, vals);
      }
      let p = putBytes(prefix, out, pos);
      p = putInt(line, out, p);
      out[p++] = TAB;
      p = put(rec, se, ee, out, p, NULL);
      out[p++] = TAB;
      p = put(rec, starts[kName], ends[kName], out, p, NULL);
      out[p++] = TAB;
      p = put(rec, sm, em, out, p, NULL);
      out[p++] = TAB;
      p = putBytes(type < 0 ? NULL : TYPES[type], out, p);
      out[p++] = TAB;
      for (const k of kProfile) {
        p = put(rec, starts[k], ends[k], out, p, NULL);
        out[p++] = TAB;
      }
      for (const k of kFields) {
        p = put(rec, starts[k], ends[k], out, p, NULL);
        out[p++] = TAB;
      }
      out[p++] = included ? T : F;
      p = putBytes(TAIL, out, p);
      if (docs) {
        p = putDoc(rec, kProfile, profileKeyBytes, starts, ends, out, p);
        out[p++] = TAB;
        p = putDoc(rec, kFields, fieldKeyBytes, starts, ends, out, p);
      } else p = putBytes(NO_DOCS, out, p);
      out[p++] = LF;
      return p;
    },
  };
}

const TAB = 9;

/**
 * Most characters a mapped value may have (names, profile attributes, active field values, hence the
 * names of the groups made from them); a longer one rejects its record.
 */
export const MAX_VALUE_LENGTH = 500;
const LF = 10;
const T = 116;
const F = 102;
const AT = 64;
const DOT = 46;
const OPEN = 123;
const CLOSE = 125;

/** Whether the value filters keep a row (every condition holds). */
function keeps(filters: Array<{ k: number; values: Set<string> }>, vals: Array<string | null>): boolean {
  for (const f of filters) if (!f.values.has(vals[f.k] ?? '')) return false;
  return true;
}

/** Copies a short constant to out at p (a loop: Buffer#copy costs more than a few bytes). */
function putBytes(b: Buffer, out: Buffer, p: number): number {
  for (let i = 0; i < b.length; i++) out[p++] = b[i];
  return p;
}

/** Writes a non-negative integer in decimal at p. */
function putInt(v: number, out: Buffer, p: number): number {
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  for (let i = p + digits - 1, x = v; i >= p; i--, x = Math.floor(x / 10)) out[i] = 48 + (x % 10);
  return p + digits;
}

/** Copies rec[s, e) to out at p (NULL when empty); returns the position after it. */
function put(rec: Buffer, s: number, e: number, out: Buffer, p: number, nul: Buffer): number {
  if (s >= e) return putBytes(nul, out, p);
  if (e - s > 32) return p + rec.copy(out, p, s, e);
  for (let i = s; i < e; i++) out[p++] = rec[i];
  return p;
}

/** Writes a JSON object of the non-empty values (keys hold their opening quote); returns the position after it. */
function putDoc(rec: Buffer, ks: number[], keys: Buffer[], starts: Int32Array, ends: Int32Array, out: Buffer, p: number): number {
  out[p++] = OPEN;
  let first = true;
  for (let i = 0; i < ks.length; i++) {
    const s = starts[ks[i]];
    const e = ends[ks[i]];
    if (s >= e) continue;
    if (!first) out[p++] = COMMA;
    first = false;
    p = putBytes(keys[i], out, p);
    for (let j = s; j < e; j++) out[p++] = rec[j];
    out[p++] = QUOTE;
  }
  out[p++] = CLOSE;
  return p;
}

/** The bytes of an email address as EMAIL_PATTERN wants them (x@y.z, none of @ blank , ; < > " in x, y, z), in ASCII. */
function isEmail(rec: Buffer, s: number, e: number): boolean {
  let at = -1;
  for (let i = s; i < e; i++) {
    const c = rec[i];
    if (c === AT) {
      if (at >= 0) return false;
      at = i;
    } else if (c === SPACE || (c >= 9 && c <= 13) || c === COMMA || c === 59 || c === 60 || c === 62 || c === QUOTE || c >= 128) return false; // non-ASCII: the string path says why
  }
  if (at <= s) return false;
  // a dot with something on both sides, after the @
  for (let i = at + 2; i < e - 1; i++) if (rec[i] === DOT) return true;
  return false;
}

/** Whether rec[a, b) and rec[c, d) are equal once ASCII letters are folded. */
function equalsFolded(rec: Buffer, a: number, b: number, c: number, d: number): boolean {
  if (b - a !== d - c) return false;
  for (let i = 0; i < b - a; i++) {
    let x = rec[a + i];
    let y = rec[c + i];
    if (x >= 65 && x <= 90) x |= 0x20;
    if (y >= 65 && y <= 90) y |= 0x20;
    if (x !== y) return false;
  }
  return true;
}

function equalsIgnoreCase(rec: Buffer, s: number, e: number, lower: Buffer): boolean {
  if (e - s !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((rec[s + i] | 0x20) !== lower[i]) return false;
  return true;
}

/**
 * The byte range of each wanted field's value (trimmed of spaces, surrounding quotes removed) in
 * starts/ends. false when the record needs the string path: a byte to escape (backslash, control
 * character) or a wanted value with quotes other than around it.
 */
function locateFields(rec: Buffer, want: Int32Array, starts: Int32Array, ends: Int32Array): boolean {
  const n = rec.length;
  let pos = 0;
  let start = 0;
  let quotes = 0;
  let inQuote = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? rec[i] : COMMA;
    if (c === QUOTE) {
      inQuote = !inQuote;
      quotes++;
    } else if (c === COMMA && !inQuote) {
      const k = pos < want.length ? want[pos] : -1;
      if (k >= 0) {
        let s = start;
        let e = i;
        while (s < e && rec[s] === SPACE) s++;
        while (e > s && rec[e - 1] === SPACE) e--;
        if (quotes) {
          // only "..." (after trimming), and nothing but spaces around the quotes inside it
          if (quotes !== 2 || rec[s] !== QUOTE || rec[e - 1] !== QUOTE) return false;
          s++;
          e--;
          while (s < e && rec[s] === SPACE) s++;
          while (e > s && rec[e - 1] === SPACE) e--;
        }
        starts[k] = s;
        ends[k] = e;
      }
      pos++;
      start = i + 1;
      quotes = 0;
    } else if (c < 32 || c === BACKSLASH) return false;
  }
  return true;
}

/** A value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped. */
function text(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

/**
 * Trims spaces and tabs (a tab pasted around a value is as invisible as a space). Only this string path
 * meets tabs: a record with one is never on the byte path (locateFields).
 */
export function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === SPACE || s.charCodeAt(a) === TAB)) a++;
  while (b > a && (s.charCodeAt(b - 1) === SPACE || s.charCodeAt(b - 1) === TAB)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * Stores the trimmed value of each wanted field of a record in vals[want[position]] (empty -> null),
 * decoded the way PostgreSQL reads CSV (decodeRecord).
 */
function splitRecord(rec: Buffer, want: Int32Array, vals: Array<string | null>): void {
  const fields = decodeRecord(rec);
  for (let p = 0; p < fields.length && p < want.length; p++) {
    if (want[p] < 0) continue;
    const v = trimSpaces(fields[p]);
    vals[want[p]] = v === '' ? null : v;
  }
}
