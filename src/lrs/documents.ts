import crypto from 'node:crypto';
import type { Database } from '../db/database.ts';
import { LrsErrors } from './errors.ts';

/** Identifies a document of the state, activity profile or agent profile resource. */
export interface DocumentKey {
  kind: 'state' | 'activity_profile' | 'agent_profile';
  activityId?: string;
  agentKey?: string;
  registration?: string;
}

export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  /** PUT of an existing document with neither header is a 409 (profiles always; state under xAPI 2.0). */
  requireForOverwrite: boolean;
  /** xAPI 1.0.3 profiles: a PUT with neither header is a 400 even for a new document (as ADL's suite checks). */
  requireAlways?: boolean;
}

const isJsonType = (ct: string | undefined) => /^application\/json\b/i.test(ct ?? '');

/** The quoted entity tag of a document: its SHA-1, as the 1.0.3 conformance suite expects. */
function etagOf(content: Buffer): string {
  return '"' + crypto.createHash('sha1').update(content).digest('hex') + '"';
}

function keyWhere(db: Database, accountId: number, k: DocumentKey) {
  return db
    .selectFrom('lrs_documents')
    .where('account_id', '=', accountId)
    .where('kind', '=', k.kind)
    .where('activity_id', '=', k.activityId ?? '')
    .where('agent_key', '=', k.agentKey ?? '')
    .where('registration', '=', k.registration ?? '');
}

export async function getDocument(db: Database, accountId: number, k: DocumentKey, docId: string) {
  const row = await keyWhere(db, accountId, k).selectAll().where('doc_id', '=', docId).executeTakeFirst();
  if (!row) throw LrsErrors.NOT_FOUND.create(`no document "${docId}"`);
  return row;
}

/** Ids of the documents under a key, optionally only those updated after `since`. */
export async function listDocumentIds(db: Database, accountId: number, k: DocumentKey, since?: Date): Promise<string[]> {
  let q = keyWhere(db, accountId, k).select('doc_id');
  if (since) q = q.where('updated', '>', since);
  return (await q.orderBy('doc_id').execute()).map((r) => r.doc_id);
}

function matches(tag: string, etag: string): boolean {
  return tag.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
}

function checkPreconditions(existing: { etag: string } | undefined, pre: Preconditions, isPut: boolean): void {
  if (pre.ifMatch !== undefined && (!existing || !matches(pre.ifMatch, existing.etag))) {
    throw LrsErrors.PRECONDITION_FAILED.create('If-Match does not match the current document');
  }
  if (pre.ifNoneMatch !== undefined && existing && matches(pre.ifNoneMatch, existing.etag)) {
    throw LrsErrors.PRECONDITION_FAILED.create('If-None-Match: the document exists');
  }
  if (isPut && !existing && pre.requireAlways && pre.ifMatch === undefined && pre.ifNoneMatch === undefined) {
    throw LrsErrors.BAD_REQUEST.create({ detail: 'xAPI 1.0.3: a profile document PUT needs If-Match or If-None-Match', field: 'If-None-Match' });
  }
  if (isPut && existing && pre.requireForOverwrite && pre.ifMatch === undefined && pre.ifNoneMatch === undefined) {
    throw LrsErrors.DOCUMENT_CONFLICT.create();
  }
}

function parseJsonObject(content: Buffer, field: string): Record<string, unknown> {
  try {
    const v = JSON.parse(content.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    // fall through
  }
  throw LrsErrors.BAD_REQUEST.create({ detail: 'a JSON document must be a JSON object', field });
}

/**
 * Writes a document. PUT replaces it; POST merges JSON objects one level deep (Communication 2.2
 * "JSON Procedure with Requests") and is a 400 when either side is not a JSON object. Runs in a
 * transaction with the row locked, so concurrent writers see each other's ETags.
 */
export async function writeDocument(
  db: Database,
  accountId: number,
  k: DocumentKey,
  docId: string,
  body: { content: Buffer; contentType: string },
  method: 'PUT' | 'POST',
  pre: Preconditions,
  retried = false,
): Promise<void> {
  try {
    await writeDocumentOnce(db, accountId, k, docId, body, method, pre);
  } catch (e) {
    // Two writers creating the same new document: the loser runs again and meets the winner's row.
    if ((e as { code?: string }).code === '23505' && !retried) return writeDocument(db, accountId, k, docId, body, method, pre, true);
    throw e;
  }
}

async function writeDocumentOnce(
  db: Database,
  accountId: number,
  k: DocumentKey,
  docId: string,
  body: { content: Buffer; contentType: string },
  method: 'PUT' | 'POST',
  pre: Preconditions,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await keyWhere(trx as unknown as Database, accountId, k).selectAll().where('doc_id', '=', docId).forUpdate().executeTakeFirst();
    checkPreconditions(existing, pre, method === 'PUT');
    let content = body.content;
    let contentType = body.contentType || 'application/octet-stream';
    if (method === 'POST') {
      if (isJsonType(contentType)) parseJsonObject(content, 'body');
      if (existing) {
        if (!isJsonType(existing.content_type) || !isJsonType(contentType)) {
          throw LrsErrors.BAD_REQUEST.create('POST merges JSON documents only: the stored or the posted document is not application/json');
        }
        const merged = { ...parseJsonObject(existing.content, 'stored document'), ...parseJsonObject(content, 'body') };
        content = Buffer.from(JSON.stringify(merged));
        contentType = 'application/json';
      }
    }
    const values = { content, content_type: contentType, etag: etagOf(content), updated: new Date() };
    if (existing) await trx.updateTable('lrs_documents').set(values).where('id', '=', existing.id).execute();
    else {
      await trx
        .insertInto('lrs_documents')
        .values({ account_id: accountId, kind: k.kind, activity_id: k.activityId ?? '', agent_key: k.agentKey ?? '', registration: k.registration ?? '', doc_id: docId, ...values })
        .execute();
    }
  });
}

/** Deletes one document (honouring If-Match) or, without docId, every document under the key. */
export async function deleteDocuments(db: Database, accountId: number, k: DocumentKey, docId: string | undefined, pre: Preconditions): Promise<void> {
  if (docId === undefined) {
    let q = db.deleteFrom('lrs_documents').where('account_id', '=', accountId).where('kind', '=', k.kind).where('activity_id', '=', k.activityId ?? '').where('agent_key', '=', k.agentKey ?? '');
    if (k.registration !== undefined) q = q.where('registration', '=', k.registration);
    await q.execute();
    return;
  }
  const existing = await keyWhere(db, accountId, k).select(['id', 'etag']).where('doc_id', '=', docId).executeTakeFirst();
  checkPreconditions(existing, { ...pre, requireForOverwrite: false }, false);
  if (existing) await db.deleteFrom('lrs_documents').where('id', '=', existing.id).execute();
}
