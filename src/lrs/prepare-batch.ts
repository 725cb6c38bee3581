import crypto from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { normalizeStatement } from './normalize.ts';
import { activityDefinitions, statementRow, type StatementRow } from './statement-rows.ts';
import { validateStatement } from './validate-statement.ts';
import type { XapiVersion } from './version.ts';

type Obj = Record<string, any>;

export interface BatchInput {
  body: Uint8Array;
  version: XapiVersion;
  stored: string;
  authority: Obj;
  defaultVersion: string;
}

export interface PreparedBatch {
  /** The thread that prepared it (worker_threads.threadId; 0 is the main thread). */
  threadId: number;
  rows: StatementRow[];
  /** Activity definitions by id (merged into GET /activities after the write). */
  definitions: Array<[string, Obj]>;
}

/**
 * The CPU-heavy part of storing a POSTed batch, as storeStatements does it: parse, validate, shape each
 * statement (id, stored, authority, version, timestamp) and compute its row. Runs on an ingest thread.
 * Only the plain case: it returns null for anything storeStatements would refuse or that needs the request's
 * other parts (attachments), and the caller then takes the usual path, which answers with the exact error.
 */
export function prepareBatch(input: BatchInput): PreparedBatch | null {
  let list: unknown[];
  try {
    const v = JSON.parse(Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength).toString('utf8')) as unknown;
    list = Array.isArray(v) ? v : [v];
  } catch {
    return null;
  }
  if (list.length === 0) return null;
  try {
    list.forEach((s, i) => validateStatement(s, input.version, list.length === 1 ? 'statement' : `statement[${i}]`));
  } catch {
    return null;
  }
  const statements = list as Obj[];
  const seen = new Set<string>();
  for (const s of statements) {
    if (Array.isArray(s.attachments) && s.attachments.length > 0) return null;
    if (s.id === undefined) continue;
    const id = String(s.id).toLowerCase();
    if (seen.has(id)) return null;
    seen.add(id);
  }
  const rows = statements.map((s) => {
    const id = (s.id ?? crypto.randomUUID()).toLowerCase();
    const full: Obj = { ...normalizeStatement(s), id, timestamp: s.timestamp ?? input.stored, stored: input.stored, authority: input.authority, version: s.version ?? input.defaultVersion };
    return statementRow(full, input.stored);
  });
  const defs = new Map<string, Obj>();
  for (const s of statements) activityDefinitions(s, defs);
  return { threadId, rows, definitions: [...defs] };
}

export default prepareBatch;
