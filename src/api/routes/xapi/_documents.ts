import type { FastifyReply } from 'fastify';
import { agentKey } from '../../../lrs/agents.ts';
import { deleteDocuments, getDocument, listDocumentIds, writeDocument, type DocumentKey } from '../../../lrs/documents.ts';
import { LrsErrors } from '../../../lrs/errors.ts';
import { getActivity, getPerson } from '../../../lrs/activities-agents.ts';
import { isIri, isUuid, parseTimestamp, validateAgentParam } from '../../../lrs/validate-statement.ts';
import type { Api } from '../../types.ts';
import { allowParams, jsonParam, required, type XapiCall } from './_request.ts';

interface DocResource {
  kind: DocumentKey['kind'];
  idParam: string;
  /** Parameters of the key besides the document id. */
  keyParams: string[];
  optionalKeyParams?: string[];
}

export const STATE: DocResource = { kind: 'state', idParam: 'stateId', keyParams: ['activityId', 'agent'], optionalKeyParams: ['registration'] };
export const ACTIVITY_PROFILE: DocResource = { kind: 'activity_profile', idParam: 'profileId', keyParams: ['activityId'] };
export const AGENT_PROFILE: DocResource = { kind: 'agent_profile', idParam: 'profileId', keyParams: ['agent'] };

function documentKey(call: XapiCall, r: DocResource): DocumentKey {
  const k: DocumentKey = { kind: r.kind };
  if (r.keyParams.includes('activityId')) {
    const a = required(call, 'activityId');
    if (!isIri(a)) throw LrsErrors.BAD_REQUEST.create({ detail: 'activityId must be an IRI', field: 'activityId' });
    k.activityId = a;
  }
  if (r.keyParams.includes('agent')) {
    required(call, 'agent');
    const agent = jsonParam(call, 'agent') as Record<string, unknown>;
    validateAgentParam(agent, 'agent');
    k.agentKey = agentKey(agent);
    if (!k.agentKey) throw LrsErrors.BAD_REQUEST.create({ detail: 'agent must be identified (mbox, mbox_sha1sum, openid or account)', field: 'agent' });
  }
  const reg = call.params.get('registration');
  if (reg !== undefined) {
    if (!isUuid(reg)) throw LrsErrors.BAD_REQUEST.create({ detail: 'registration must be a UUID', field: 'registration' });
    k.registration = reg.toLowerCase();
  }
  return k;
}

/** GET/HEAD/PUT/POST/DELETE of a document resource (Communication 2.2-2.7). */
export async function documentResource(app: Api, call: XapiCall, reply: FastifyReply, r: DocResource) {
  const keyParams = [...r.keyParams, ...(r.optionalKeyParams ?? [])];
  const db = app.ctx.db;
  const accountId = call.principal.accountId;
  const docId = call.params.get(r.idParam);
  const pre = {
    ifMatch: call.headers['if-match'],
    ifNoneMatch: call.headers['if-none-match'],
    // xAPI 1.0.3 exempts the state resource from the "PUT without a precondition" 409; 2.0 does not.
    requireForOverwrite: r.kind !== 'state' || call.version === '2.0.0',
    requireAlways: r.kind !== 'state' && call.version === '1.0.3',
  };
  if (call.method === 'GET' || call.method === 'HEAD') {
    allowParams(call, [...keyParams, r.idParam, 'since']);
    const k = documentKey(call, r);
    if (docId !== undefined) {
      if (call.params.has('since')) throw LrsErrors.BAD_REQUEST.create({ detail: `since cannot be combined with ${r.idParam}`, field: 'since' });
      const doc = await getDocument(db, accountId, k, docId);
      reply.header('ETag', doc.etag).header('Last-Modified', doc.updated.toUTCString()).type(doc.content_type);
      return reply.send(doc.content);
    }
    let since: Date | undefined;
    if (call.params.has('since')) {
      since = parseTimestamp(call.params.get('since'));
      if (!since) throw LrsErrors.BAD_REQUEST.create({ detail: 'since must be an ISO 8601 timestamp', field: 'since' });
    }
    reply.type('application/json');
    return reply.send(JSON.stringify(await listDocumentIds(db, accountId, k, since)));
  }
  if (call.method === 'PUT' || call.method === 'POST') {
    allowParams(call, [...keyParams, r.idParam]);
    const k = documentKey(call, r);
    const id = required(call, r.idParam);
    await writeDocument(db, accountId, k, id, { content: call.body, contentType: call.contentType }, call.method, pre);
    return reply.status(204).send();
  }
  if (call.method === 'DELETE') {
    allowParams(call, [...keyParams, r.idParam]);
    const k = documentKey(call, r);
    // Only the state resource deletes a whole set of documents; profiles are deleted one by one.
    if (docId === undefined && r.kind !== 'state') required(call, r.idParam);
    await deleteDocuments(db, accountId, k, docId, pre);
    return reply.status(204).send();
  }
  throw LrsErrors.BAD_REQUEST.create({ detail: `${call.method} is not a method of this resource`, field: 'method' });
}

/** GET /xapi/activities?activityId= : the activity with everything the LRS knows of its definition. */
export async function activitiesResource(app: Api, call: XapiCall, reply: FastifyReply) {
  if (call.method !== 'GET' && call.method !== 'HEAD') throw LrsErrors.BAD_REQUEST.create({ detail: 'the activities resource is read-only', field: 'method' });
  allowParams(call, ['activityId']);
  const id = required(call, 'activityId');
  if (!isIri(id)) throw LrsErrors.BAD_REQUEST.create({ detail: 'activityId must be an IRI', field: 'activityId' });
  reply.type('application/json');
  return reply.send(JSON.stringify(await getActivity(app.ctx.db, call.principal.accountId, id)));
}

/** GET /xapi/agents?agent= : the Person object of an agent. */
export async function agentsResource(app: Api, call: XapiCall, reply: FastifyReply) {
  if (call.method !== 'GET' && call.method !== 'HEAD') throw LrsErrors.BAD_REQUEST.create({ detail: 'the agents resource is read-only', field: 'method' });
  allowParams(call, ['agent']);
  required(call, 'agent');
  const agent = jsonParam(call, 'agent') as Record<string, unknown>;
  validateAgentParam(agent, 'agent');
  reply.type('application/json');
  return reply.send(JSON.stringify(getPerson(agent)));
}
