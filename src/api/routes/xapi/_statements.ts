import type { FastifyReply } from 'fastify';
import { LrsErrors } from '../../../lrs/errors.ts';
import { acceptLanguages, formatStatement, type StatementFormat } from '../../../lrs/format.ts';
import { boundaryOf, buildMultipart, parseMultipart, type Part } from '../../../lrs/multipart.ts';
import { getStatement, loadAttachments, queryStatements, type StatementQuery } from '../../../lrs/query-statements.ts';
import { storeStatements, storeStatementsJson, type ReceivedAttachment } from '../../../lrs/store-statements.ts';
import { isIri, isUuid, parseTimestamp, validateAgentParam } from '../../../lrs/validate-statement.ts';
import type { Api } from '../../types.ts';
import { allowParams, alongside, boolParam, jsonParam, type XapiCall } from './_request.ts';

const QUERY_PARAMS = ['agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents', 'since', 'until', 'limit', 'format', 'attachments', 'ascending'];
const GET_PARAMS = ['statementId', 'voidedStatementId', 'more', ...QUERY_PARAMS];

function parseJson(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw LrsErrors.BAD_REQUEST.create({ detail: `${what} is not valid JSON`, field: 'body' });
  }
}

/** Statements and attachment parts of a PUT/POST body (application/json or multipart/mixed). */
function readStatementsBody(call: XapiCall): { statements: unknown; parts?: ReceivedAttachment[] } {
  const ct = call.contentType.toLowerCase();
  if (ct.startsWith('application/json') || (ct === '' && call.body.length > 0)) return { statements: parseJson(call.body, 'the request body') };
  if (!ct.startsWith('multipart/mixed')) {
    throw LrsErrors.BAD_REQUEST.create({ detail: 'statements are sent as application/json or multipart/mixed', field: 'content-type' });
  }
  const boundary = boundaryOf(call.contentType);
  if (!boundary) throw LrsErrors.BAD_REQUEST.create({ detail: 'multipart/mixed needs a boundary parameter', field: 'content-type' });
  const parts = parseMultipart(call.body, boundary);
  if (parts.length === 0) throw LrsErrors.BAD_REQUEST.create('the multipart body has no part');
  const [first, ...rest] = parts;
  if (!/^application\/json\b/i.test(first.headers['content-type'] ?? '')) {
    throw LrsErrors.BAD_REQUEST.create({ detail: 'the first part of a multipart/mixed body must be the statements as application/json', field: 'content-type' });
  }
  const received = rest.map((p: Part, i) => {
    const hash = p.headers['x-experience-api-hash'];
    if (!hash) throw LrsErrors.BAD_REQUEST.create({ detail: `multipart part ${i + 2} has no X-Experience-API-Hash header`, field: 'X-Experience-API-Hash' });
    const cte = p.headers['content-transfer-encoding'];
    if (cte === undefined || cte.toLowerCase() !== 'binary') {
      throw LrsErrors.BAD_REQUEST.create({ detail: `multipart part ${i + 2} must have "Content-Transfer-Encoding: binary"`, field: 'Content-Transfer-Encoding' });
    }
    return { sha2: hash.trim(), contentType: p.headers['content-type'] ?? 'application/octet-stream', content: p.body };
  });
  return { statements: parseJson(first.body, 'the first multipart part'), parts: received };
}

function statementQuery(call: XapiCall): StatementQuery {
  const q: StatementQuery = {};
  const p = call.params;
  if (p.has('agent')) {
    const agent = jsonParam(call, 'agent');
    validateAgentParam(agent, 'agent');
    q.agent = agent as Record<string, unknown>;
  }
  if (p.has('verb')) {
    if (!isIri(p.get('verb'))) throw LrsErrors.BAD_REQUEST.create({ detail: 'verb must be an IRI', field: 'verb' });
    q.verb = p.get('verb');
  }
  if (p.has('activity')) {
    if (!isIri(p.get('activity'))) throw LrsErrors.BAD_REQUEST.create({ detail: 'activity must be an IRI', field: 'activity' });
    q.activity = p.get('activity');
  }
  if (p.has('registration')) {
    if (!isUuid(p.get('registration'))) throw LrsErrors.BAD_REQUEST.create({ detail: 'registration must be a UUID', field: 'registration' });
    q.registration = p.get('registration')!.toLowerCase();
  }
  for (const k of ['since', 'until'] as const) {
    if (!p.has(k)) continue;
    const t = parseTimestamp(p.get(k));
    if (!t) throw LrsErrors.BAD_REQUEST.create({ detail: `${k} must be an ISO 8601 timestamp`, field: k });
    q[k] = t.toISOString();
  }
  if (p.has('limit')) {
    const l = p.get('limit')!;
    if (!/^\d+$/.test(l)) throw LrsErrors.BAD_REQUEST.create({ detail: 'limit must be a non-negative integer', field: 'limit' });
    q.limit = Number(l);
  }
  q.related_activities = boolParam(call, 'related_activities');
  q.related_agents = boolParam(call, 'related_agents');
  q.ascending = boolParam(call, 'ascending');
  q.attachments = boolParam(call, 'attachments');
  q.format = formatParam(call);
  return q;
}

function formatParam(call: XapiCall): StatementFormat {
  const f = call.params.get('format') ?? 'exact';
  if (f !== 'exact' && f !== 'ids' && f !== 'canonical') throw LrsErrors.BAD_REQUEST.create({ detail: 'format must be exact, ids or canonical', field: 'format' });
  return f;
}

/** Sends JSON, or multipart/mixed with the attachments' contents when they were asked for. */
async function sendWithAttachments(app: Api, call: XapiCall, reply: FastifyReply, json: unknown, hashes: string[], attachments: boolean) {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  if (!attachments) {
    reply.type('application/json');
    return reply.send(text);
  }
  const rows = await loadAttachments(app.ctx.pool, call.principal.accountId, hashes);
  const mp = buildMultipart([
    { headers: { 'Content-Type': 'application/json' }, body: Buffer.from(text) },
    ...rows.map((r) => ({ headers: { 'Content-Type': r.content_type, 'Content-Transfer-Encoding': 'binary', 'X-Experience-API-Hash': r.sha2 }, body: r.content })),
  ]);
  reply.type(mp.contentType);
  return reply.send(mp.body);
}

async function getStatements(app: Api, call: XapiCall, reply: FastifyReply) {
  allowParams(call, GET_PARAMS);
  const p = call.params;
  const langs = acceptLanguages(call.headers['accept-language']);
  const single = p.has('statementId') ? 'statementId' : p.has('voidedStatementId') ? 'voidedStatementId' : undefined;
  if (single) {
    for (const k of p.keys()) {
      if (k !== single && k !== 'format' && k !== 'attachments') throw LrsErrors.BAD_REQUEST.create({ detail: `${single} cannot be combined with ${k}`, field: k });
    }
    const id = p.get(single)!;
    if (!isUuid(id)) throw LrsErrors.BAD_REQUEST.create({ detail: `${single} must be a UUID`, field: single });
    const format = formatParam(call);
    const attachments = boolParam(call, 'attachments') ?? false;
    const row = await alongside(call, getStatement(app.ctx.pool, call.principal.accountId, id.toLowerCase(), single === 'voidedStatementId'));
    reply.header('Last-Modified', row.stored.toUTCString());
    return sendWithAttachments(app, call, reply, formatStatement(row.statement, format, langs), row.attachment_hashes, attachments);
  }
  if (p.has('more') && p.size > 1) throw LrsErrors.BAD_REQUEST.create({ detail: 'more cannot be combined with other parameters', field: 'more' });
  const q = p.has('more') ? {} : statementQuery(call);
  const page = await alongside(call, queryStatements(app.ctx.pool, call.principal.accountId, q, p.get('more'), langs, '/xapi/statements'));
  const attachments = p.has('more') ? false : (q.attachments ?? false);
  const result = `{"statements":[${page.statementsJson.join(',')}],"more":${JSON.stringify(page.more)}}`;
  return sendWithAttachments(app, call, reply, result, page.attachmentHashes, attachments);
}

async function putStatement(app: Api, call: XapiCall, reply: FastifyReply) {
  allowParams(call, ['statementId']);
  const id = call.params.get('statementId');
  if (id === undefined) throw LrsErrors.BAD_REQUEST.create({ detail: 'PUT needs the statementId parameter', field: 'statementId' });
  if (!isUuid(id)) throw LrsErrors.BAD_REQUEST.create({ detail: 'statementId must be a UUID', field: 'statementId' });
  const { statements, parts } = readStatementsBody(call);
  if (!statements || typeof statements !== 'object' || Array.isArray(statements)) throw LrsErrors.BAD_REQUEST.create({ detail: 'PUT takes one statement object', field: 'body' });
  const s = statements as Record<string, unknown>;
  if (s.id !== undefined && String(s.id).toLowerCase() !== id.toLowerCase()) {
    throw LrsErrors.BAD_REQUEST.create({ detail: 'the statement id differs from the statementId parameter', field: 'id' });
  }
  await storeStatements(app.ctx.pool, call.principal, call.version, [{ ...s, id }], parts);
  return reply.status(204).send();
}

async function postStatements(app: Api, call: XapiCall, reply: FastifyReply) {
  allowParams(call, []);
  const asList = (statements: unknown) => (Array.isArray(statements) ? statements : [statements]);
  let ids: string[];
  if (call.contentType.toLowerCase().startsWith('application/json')) {
    // parsed, validated and shaped on an ingest thread; the statements are parsed here only when needed
    ids = await storeStatementsJson(app.ctx.pool, call.principal, call.version, call.body, () => asList(readStatementsBody(call).statements));
  } else {
    const { statements, parts } = readStatementsBody(call);
    ids = await storeStatements(app.ctx.pool, call.principal, call.version, asList(statements), parts);
  }
  reply.type('application/json');
  return reply.status(200).send(JSON.stringify(ids));
}

/** GET/HEAD, PUT and POST of /xapi/statements. */
export async function statementsResource(app: Api, call: XapiCall, reply: FastifyReply) {
  if (call.method === 'GET' || call.method === 'HEAD') return getStatements(app, call, reply);
  if (call.method === 'PUT') return putStatement(app, call, reply);
  if (call.method === 'POST') return postStatements(app, call, reply);
  throw LrsErrors.BAD_REQUEST.create({ detail: `${call.method} is not a method of the statements resource`, field: 'method' });
}
