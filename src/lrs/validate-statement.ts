import { LrsErrors } from './errors.ts';
import type { XapiVersion } from './version.ts';

/**
 * Statement validation per xAPI 1.0.3 (Data section) and IEEE 9274.1.1 (xAPI 2.0): every rule that makes
 * an LRS reject a statement with 400. Each failure names the offending property path, e.g.
 * `statement.actor.mbox: must be a "mailto:" IRI`.
 */
type Obj = Record<string, unknown>;

class Invalid extends Error {
  constructor(readonly path: string, readonly why: string) {
    super(`${path}: ${why}`);
  }
}

const fail = (path: string, why: string): never => {
  throw new Invalid(path, why);
};

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAILTO_RE = /^mailto:[^@\s]+@[^@\s]+$/i;
const SHA1_RE = /^[0-9a-f]{40}$/i;
// RFC 5646 language tag, simplified: a primary subtag and optional subtags of 1-8 alphanumerics.
const LANG_RE = /^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8}|[xi](?:-[a-z0-9]{1,8})+)(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?$/i;
const DURATION_RE = /^P(?:\d+(?:[.,]\d+)?W|(?!$)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?)$/;
const TIMESTAMP_RE = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const MIME_RE = /^[\w.+-]+\/[\w.+-]+(?:\s*;.*)?$/;
const INTERACTION_TYPES = ['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other'];
const COMPONENT_LISTS: Record<string, string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
};
const ALL_COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) fail(path, 'must be a JSON object');
  return v as Obj;
}

function allowed(o: Obj, keys: string[], path: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${path}.${k}`, 'is not a property of this object in xAPI');
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'must be a string');
  return v as string;
}

function bool(v: unknown, path: string): void {
  if (typeof v !== 'boolean') fail(path, 'must be true or false');
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a number');
  return v as number;
}

/** An absolute IRI: a scheme, a colon and no whitespace. */
export function isIri(v: unknown): boolean {
  return typeof v === 'string' && /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(v) && v.length > 0;
}

function iri(v: unknown, path: string): string {
  if (!isIri(v)) fail(path, 'must be an absolute IRI (e.g. "http://example.com/verbs/completed")');
  return v as string;
}

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}

function uuid(v: unknown, path: string): string {
  if (!isUuid(v)) fail(path, 'must be a UUID');
  return v as string;
}

export function isLanguageTag(v: unknown): boolean {
  return typeof v === 'string' && LANG_RE.test(v);
}

function langMap(v: unknown, path: string): void {
  const o = obj(v, path);
  for (const [k, val] of Object.entries(o)) {
    if (!isLanguageTag(k)) fail(`${path}.${k}`, 'the key must be an RFC 5646 language tag');
    if (typeof val !== 'string') fail(`${path}.${k}`, 'must be a string');
  }
}

function extensions(v: unknown, path: string): void {
  const o = obj(v, path);
  for (const k of Object.keys(o)) if (!isIri(k)) fail(`${path}.${k}`, 'extension keys must be IRIs');
}

/** Parses an ISO 8601 timestamp; undefined when invalid. An offset of -00, -0000 or -00:00 is invalid (RFC 3339). */
export function parseTimestamp(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  const m = TIMESTAMP_RE.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, , tz] = m;
  if (tz && /^-00(?::?00)?$/.test(tz)) return undefined;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || (s !== undefined && +s > 60)) return undefined;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${m[7] ? '.' + m[7].slice(0, 3).padEnd(3, '0') : ''}${!tz || tz.toUpperCase() === 'Z' ? 'Z' : tz.length === 3 ? tz + ':00' : tz.includes(':') ? tz : tz.slice(0, 3) + ':' + tz.slice(3)}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  if (date.getUTCDate() !== +d && !tz) return undefined;
  return date;
}

function timestamp(v: unknown, path: string): void {
  if (!parseTimestamp(v)) fail(path, 'must be an ISO 8601 timestamp (e.g. "2024-05-01T12:00:00.000Z")');
}

function agentIfis(o: Obj): string[] {
  return ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter((k) => o[k] !== undefined);
}

function ifi(o: Obj, path: string): void {
  if (o.mbox !== undefined && (typeof o.mbox !== 'string' || !MAILTO_RE.test(o.mbox))) fail(`${path}.mbox`, 'must be a "mailto:" IRI with an email address');
  if (o.mbox_sha1sum !== undefined && (typeof o.mbox_sha1sum !== 'string' || !SHA1_RE.test(o.mbox_sha1sum))) fail(`${path}.mbox_sha1sum`, 'must be the hex SHA-1 of a mailto IRI');
  if (o.openid !== undefined) iri(o.openid, `${path}.openid`);
  if (o.account !== undefined) {
    const a = obj(o.account, `${path}.account`);
    allowed(a, ['homePage', 'name'], `${path}.account`);
    if (a.homePage === undefined) fail(`${path}.account.homePage`, 'is required');
    iri(a.homePage, `${path}.account.homePage`);
    if (a.name === undefined) fail(`${path}.account.name`, 'is required');
    str(a.name, `${path}.account.name`);
  }
}

/** Validates an Agent (objectType absent or "Agent"): exactly one inverse functional identifier. */
export function validateAgent(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account'], path);
  if (o.objectType !== undefined && o.objectType !== 'Agent') fail(`${path}.objectType`, 'must be "Agent"');
  if (o.name !== undefined) str(o.name, `${path}.name`);
  const ifis = agentIfis(o);
  if (ifis.length !== 1) fail(path, `an Agent must have exactly one of mbox, mbox_sha1sum, openid, account (has ${ifis.length})`);
  ifi(o, path);
}

/** Validates a Group: anonymous (members, no IFI) or identified (one IFI, optional members). */
export function validateGroup(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['objectType', 'name', 'member', 'mbox', 'mbox_sha1sum', 'openid', 'account'], path);
  if (o.objectType !== 'Group') fail(`${path}.objectType`, 'must be "Group"');
  if (o.name !== undefined) str(o.name, `${path}.name`);
  const ifis = agentIfis(o);
  if (ifis.length > 1) fail(path, 'an identified Group must have exactly one inverse functional identifier');
  ifi(o, path);
  if (o.member !== undefined) {
    if (!Array.isArray(o.member)) fail(`${path}.member`, 'must be an array of Agents');
    (o.member as unknown[]).forEach((m, i) => {
      if (isObj(m) && m.objectType === 'Group') fail(`${path}.member[${i}]`, 'a Group cannot contain Groups');
      validateAgent(m, `${path}.member[${i}]`);
    });
  }
  if (ifis.length === 0 && (!Array.isArray(o.member) || o.member.length === 0)) fail(`${path}.member`, 'an anonymous Group must list its members');
}

/** An Agent or a Group, by objectType. */
export function validateActor(v: unknown, path: string): void {
  const o = obj(v, path);
  if (o.objectType === 'Group') validateGroup(o, path);
  else validateAgent(o, path);
}

function validateVerb(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['id', 'display'], path);
  if (o.id === undefined) fail(`${path}.id`, 'is required');
  iri(o.id, `${path}.id`);
  if (o.display !== undefined) langMap(o.display, `${path}.display`);
}

function interactionComponents(v: unknown, path: string): void {
  if (!Array.isArray(v)) fail(path, 'must be an array of interaction components');
  const ids = new Set<string>();
  (v as unknown[]).forEach((c, i) => {
    const o = obj(c, `${path}[${i}]`);
    allowed(o, ['id', 'description'], `${path}[${i}]`);
    const id = str(o.id, `${path}[${i}].id`);
    if (ids.has(id)) fail(`${path}[${i}].id`, 'interaction component ids must be unique');
    ids.add(id);
    if (o.description !== undefined) langMap(o.description, `${path}[${i}].description`);
  });
}

function validateActivityDefinition(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['name', 'description', 'type', 'moreInfo', 'extensions', 'interactionType', 'correctResponsesPattern', ...ALL_COMPONENT_LISTS], path);
  if (o.name !== undefined) langMap(o.name, `${path}.name`);
  if (o.description !== undefined) langMap(o.description, `${path}.description`);
  if (o.type !== undefined) iri(o.type, `${path}.type`);
  if (o.moreInfo !== undefined) iri(o.moreInfo, `${path}.moreInfo`);
  if (o.extensions !== undefined) extensions(o.extensions, `${path}.extensions`);
  const it = o.interactionType;
  if (it !== undefined && (typeof it !== 'string' || !INTERACTION_TYPES.includes(it))) fail(`${path}.interactionType`, `must be one of ${INTERACTION_TYPES.join(', ')}`);
  if (o.correctResponsesPattern !== undefined) {
    if (it === undefined) fail(`${path}.correctResponsesPattern`, 'needs an interactionType');
    if (!Array.isArray(o.correctResponsesPattern)) fail(`${path}.correctResponsesPattern`, 'must be an array of strings');
    (o.correctResponsesPattern as unknown[]).forEach((p, i) => str(p, `${path}.correctResponsesPattern[${i}]`));
  }
  for (const list of ALL_COMPONENT_LISTS) {
    if (o[list] === undefined) continue;
    if (it === undefined) fail(`${path}.${list}`, 'needs an interactionType');
    if (!(COMPONENT_LISTS[it as string] ?? []).includes(list)) fail(`${path}.${list}`, `is not allowed for interactionType "${String(it)}"`);
    interactionComponents(o[list], `${path}.${list}`);
  }
}

function validateActivity(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['objectType', 'id', 'definition'], path);
  if (o.objectType !== undefined && o.objectType !== 'Activity') fail(`${path}.objectType`, 'must be "Activity"');
  if (o.id === undefined) fail(`${path}.id`, 'is required');
  iri(o.id, `${path}.id`);
  if (o.definition !== undefined) validateActivityDefinition(o.definition, `${path}.definition`);
}

function validateStatementRef(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['objectType', 'id'], path);
  if (o.objectType !== 'StatementRef') fail(`${path}.objectType`, 'must be "StatementRef"');
  uuid(o.id, `${path}.id`);
}

function validateObject(v: unknown, path: string, version: XapiVersion, inSub: boolean): void {
  const o = obj(v, path);
  const t = o.objectType ?? 'Activity';
  if (t === 'Activity') validateActivity(o, path);
  else if (t === 'Agent') validateAgent(o, path);
  else if (t === 'Group') validateGroup(o, path);
  else if (t === 'StatementRef') validateStatementRef(o, path);
  else if (t === 'SubStatement') {
    if (inSub) fail(`${path}.objectType`, 'a SubStatement cannot contain a SubStatement');
    validateSubStatement(o, path, version);
  } else fail(`${path}.objectType`, 'must be Activity, Agent, Group, StatementRef or SubStatement');
}

function validateScore(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['scaled', 'raw', 'min', 'max'], path);
  if (o.scaled !== undefined) {
    const s = num(o.scaled, `${path}.scaled`);
    if (s < -1 || s > 1) fail(`${path}.scaled`, 'must be between -1 and 1');
  }
  const min = o.min === undefined ? undefined : num(o.min, `${path}.min`);
  const max = o.max === undefined ? undefined : num(o.max, `${path}.max`);
  const raw = o.raw === undefined ? undefined : num(o.raw, `${path}.raw`);
  if (min !== undefined && max !== undefined && min >= max) fail(`${path}.min`, 'must be less than max');
  if (raw !== undefined && min !== undefined && raw < min) fail(`${path}.raw`, 'must not be below min');
  if (raw !== undefined && max !== undefined && raw > max) fail(`${path}.raw`, 'must not be above max');
}

function validateResult(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['score', 'success', 'completion', 'response', 'duration', 'extensions'], path);
  if (o.score !== undefined) validateScore(o.score, `${path}.score`);
  if (o.success !== undefined) bool(o.success, `${path}.success`);
  if (o.completion !== undefined) bool(o.completion, `${path}.completion`);
  if (o.response !== undefined) str(o.response, `${path}.response`);
  if (o.duration !== undefined && (typeof o.duration !== 'string' || !DURATION_RE.test(o.duration))) fail(`${path}.duration`, 'must be an ISO 8601 duration (e.g. "PT1H30M")');
  if (o.extensions !== undefined) extensions(o.extensions, `${path}.extensions`);
}

function validateContextActivities(v: unknown, path: string): void {
  const o = obj(v, path);
  allowed(o, ['parent', 'grouping', 'category', 'other'], path);
  for (const [k, val] of Object.entries(o)) {
    if (Array.isArray(val)) val.forEach((a, i) => validateActivity(a, `${path}.${k}[${i}]`));
    else validateActivity(val, `${path}.${k}`);
  }
}

function relevantTypes(v: unknown, path: string): void {
  if (!Array.isArray(v) || v.length === 0) fail(path, 'must be a non-empty array of IRIs');
  (v as unknown[]).forEach((t, i) => iri(t, `${path}[${i}]`));
}

function validateContext(v: unknown, path: string, version: XapiVersion, objectIsActivity: boolean): void {
  const o = obj(v, path);
  const keys = ['registration', 'instructor', 'team', 'contextActivities', 'revision', 'platform', 'language', 'statement', 'extensions'];
  if (version === '2.0.0') keys.push('contextAgents', 'contextGroups');
  allowed(o, keys, path);
  if (o.registration !== undefined) uuid(o.registration, `${path}.registration`);
  if (o.instructor !== undefined) validateActor(o.instructor, `${path}.instructor`);
  if (o.team !== undefined) validateGroup(o.team, `${path}.team`);
  if (o.contextActivities !== undefined) validateContextActivities(o.contextActivities, `${path}.contextActivities`);
  if (o.revision !== undefined) {
    str(o.revision, `${path}.revision`);
    if (!objectIsActivity) fail(`${path}.revision`, 'is only allowed when the object is an Activity');
  }
  if (o.platform !== undefined) {
    str(o.platform, `${path}.platform`);
    if (!objectIsActivity) fail(`${path}.platform`, 'is only allowed when the object is an Activity');
  }
  if (o.language !== undefined && !isLanguageTag(o.language)) fail(`${path}.language`, 'must be an RFC 5646 language tag');
  if (o.statement !== undefined) validateStatementRef(o.statement, `${path}.statement`);
  if (o.extensions !== undefined) extensions(o.extensions, `${path}.extensions`);
  if (o.contextAgents !== undefined) {
    if (!Array.isArray(o.contextAgents)) fail(`${path}.contextAgents`, 'must be an array');
    (o.contextAgents as unknown[]).forEach((c, i) => {
      const p = `${path}.contextAgents[${i}]`;
      const ca = obj(c, p);
      allowed(ca, ['objectType', 'agent', 'relevantTypes'], p);
      if (ca.objectType !== 'contextAgent') fail(`${p}.objectType`, 'must be "contextAgent"');
      if (ca.agent === undefined) fail(`${p}.agent`, 'is required');
      validateAgent(ca.agent, `${p}.agent`);
      if (ca.relevantTypes !== undefined) relevantTypes(ca.relevantTypes, `${p}.relevantTypes`);
    });
  }
  if (o.contextGroups !== undefined) {
    if (!Array.isArray(o.contextGroups)) fail(`${path}.contextGroups`, 'must be an array');
    (o.contextGroups as unknown[]).forEach((c, i) => {
      const p = `${path}.contextGroups[${i}]`;
      const cg = obj(c, p);
      allowed(cg, ['objectType', 'group', 'relevantTypes'], p);
      if (cg.objectType !== 'contextGroup') fail(`${p}.objectType`, 'must be "contextGroup"');
      if (cg.group === undefined) fail(`${p}.group`, 'is required');
      validateGroup(cg.group, `${p}.group`);
      if (cg.relevantTypes !== undefined) relevantTypes(cg.relevantTypes, `${p}.relevantTypes`);
    });
  }
}

function validateAttachments(v: unknown, path: string): void {
  if (!Array.isArray(v)) fail(path, 'must be an array');
  (v as unknown[]).forEach((a, i) => {
    const p = `${path}[${i}]`;
    const o = obj(a, p);
    allowed(o, ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl'], p);
    if (o.usageType === undefined) fail(`${p}.usageType`, 'is required');
    iri(o.usageType, `${p}.usageType`);
    if (o.display === undefined) fail(`${p}.display`, 'is required');
    langMap(o.display, `${p}.display`);
    if (o.description !== undefined) langMap(o.description, `${p}.description`);
    if (typeof o.contentType !== 'string' || !MIME_RE.test(o.contentType)) fail(`${p}.contentType`, 'must be an Internet Media Type');
    if (typeof o.length !== 'number' || !Number.isInteger(o.length) || o.length < 0) fail(`${p}.length`, 'must be a non-negative integer');
    if (typeof o.sha2 !== 'string' || !/^[0-9a-f]{56,128}$/i.test(o.sha2)) fail(`${p}.sha2`, 'must be the hex SHA-2 hash of the attachment');
    if (o.fileUrl !== undefined) iri(o.fileUrl, `${p}.fileUrl`);
  });
}

function validateCore(o: Obj, path: string, version: XapiVersion, inSub: boolean): void {
  if (o.actor === undefined) fail(`${path}.actor`, 'is required');
  validateActor(o.actor, `${path}.actor`);
  if (o.verb === undefined) fail(`${path}.verb`, 'is required');
  validateVerb(o.verb, `${path}.verb`);
  if (o.object === undefined) fail(`${path}.object`, 'is required');
  validateObject(o.object, `${path}.object`, version, inSub);
  if (o.result !== undefined) validateResult(o.result, `${path}.result`);
  const objectIsActivity = ((o.object as Obj).objectType ?? 'Activity') === 'Activity';
  if (o.context !== undefined) validateContext(o.context, `${path}.context`, version, objectIsActivity);
  if (o.timestamp !== undefined) timestamp(o.timestamp, `${path}.timestamp`);
  if (o.attachments !== undefined) validateAttachments(o.attachments, `${path}.attachments`);
}

function validateSubStatement(o: Obj, path: string, version: XapiVersion): void {
  allowed(o, ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments'], path);
  validateCore(o, path, version, true);
}

function validateAuthority(v: unknown, path: string): void {
  const o = obj(v, path);
  if (o.objectType === 'Group') {
    validateGroup(o, path);
    // A Group authority is the OAuth pair of an application and a user: an anonymous Group of two Agents.
    if (agentIfis(o).length > 0) fail(path, 'a Group authority must be an anonymous Group (no inverse functional identifier)');
    if (!Array.isArray(o.member) || o.member.length !== 2) fail(`${path}.member`, 'a Group authority must have exactly two members (OAuth consumer and user)');
  } else validateAgent(o, path);
}

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

/**
 * Validates one statement as received (before the LRS adds id, stored, authority, version).
 * Throws LMC_ERR_LRS_INVALID_STATEMENT naming the property.
 */
export function validateStatement(v: unknown, version: XapiVersion, path = 'statement'): void {
  try {
    const o = obj(v, path);
    allowed(o, ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments'], path);
    if (o.id !== undefined) uuid(o.id, `${path}.id`);
    validateCore(o, path, version, false);
    if (o.stored !== undefined) timestamp(o.stored, `${path}.stored`);
    if (o.authority !== undefined) validateAuthority(o.authority, `${path}.authority`);
    if (o.version !== undefined) {
      const ok = typeof o.version === 'string' && (version === '2.0.0' ? /^(1\.0(\.\d+)?|2\.0(\.\d+)?)$/ : /^1\.0(\.\d+)?$/).test(o.version);
      if (!ok) fail(`${path}.version`, version === '2.0.0' ? 'must be 1.0.x or 2.0.x' : 'must be 1.0.x');
    }
    if ((o.verb as Obj).id === VOIDED_VERB && (o.object as Obj).objectType !== 'StatementRef') {
      fail(`${path}.object`, 'a voiding statement (verb "voided") must have a StatementRef object');
    }
  } catch (e) {
    if (e instanceof Invalid) throw LrsErrors.INVALID_STATEMENT.create({ detail: e.message, field: e.path });
    throw e;
  }
}

/** Validates an Agent given as a query parameter (agent=, related agents of documents). */
export function validateAgentParam(v: unknown, name: string): void {
  try {
    validateActor(v, name);
  } catch (e) {
    if (e instanceof Invalid) throw LrsErrors.BAD_REQUEST.create({ detail: e.message, field: e.path });
    throw e;
  }
}

/** Validates a lone Agent (not Group) query parameter, for the agent profile and state resources. */
export function validateAgentOnlyParam(v: unknown, name: string): void {
  try {
    validateAgent(v, name);
  } catch (e) {
    if (e instanceof Invalid) throw LrsErrors.BAD_REQUEST.create({ detail: e.message, field: e.path });
    throw e;
  }
}
