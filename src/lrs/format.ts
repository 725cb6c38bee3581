import { agentIds } from './agents.ts';

type Obj = Record<string, any>;

export type StatementFormat = 'exact' | 'ids' | 'canonical';

/** Parses Accept-Language into tags by preference (q weights), e.g. "en-GB,en;q=0.8" → ["en-GB", "en"]. */
export function acceptLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q) : 1, i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}

/** Keeps the one entry of a language map that best matches the preferred languages. */
function pickLanguage(map: Obj | undefined, langs: string[]): Obj | undefined {
  if (!map || typeof map !== 'object') return map;
  const keys = Object.keys(map);
  if (keys.length <= 1) return map;
  for (const l of langs) {
    if (l === '*') break;
    const exact = keys.find((k) => k.toLowerCase() === l.toLowerCase());
    if (exact) return { [exact]: map[exact] };
    const prefix = keys.find((k) => k.toLowerCase().split('-')[0] === l.toLowerCase().split('-')[0]);
    if (prefix) return { [prefix]: map[prefix] };
  }
  const fallback = keys.find((k) => k.toLowerCase() === 'und') ?? keys.find((k) => /^en(-|$)/i.test(k)) ?? keys[0];
  return { [fallback]: map[fallback] };
}

function canonicalActivity(a: Obj, langs: string[]): Obj {
  if (!a?.definition) return a;
  const d: Obj = { ...a.definition };
  if (d.name) d.name = pickLanguage(d.name, langs);
  if (d.description) d.description = pickLanguage(d.description, langs);
  for (const list of ['choices', 'scale', 'source', 'target', 'steps']) {
    if (Array.isArray(d[list])) d[list] = d[list].map((c: Obj) => (c?.description ? { ...c, description: pickLanguage(c.description, langs) } : c));
  }
  return { ...a, definition: d };
}

function mapContextActivities(c: Obj | undefined, f: (a: Obj) => Obj): Obj | undefined {
  if (!c?.contextActivities) return c;
  const ca: Obj = {};
  for (const [k, v] of Object.entries(c.contextActivities)) ca[k] = Array.isArray(v) ? v.map(f) : f(v as Obj);
  return { ...c, contextActivities: ca };
}

function idsCore(s: Obj): Obj {
  const o: Obj = { ...s };
  if (o.actor) o.actor = agentIds(o.actor);
  if (o.authority) o.authority = agentIds(o.authority);
  if (o.verb) o.verb = { id: o.verb.id };
  const obj = o.object;
  const ot = obj?.objectType ?? 'Activity';
  if (ot === 'Activity') o.object = { id: obj.id };
  else if (ot === 'Agent' || ot === 'Group') o.object = agentIds(obj);
  else if (ot === 'SubStatement') o.object = idsCore(obj);
  if (o.context) {
    const c = mapContextActivities(o.context, (a) => ({ id: a.id }))!;
    if (c.instructor) c.instructor = agentIds(c.instructor);
    if (c.team) c.team = agentIds(c.team);
    if (Array.isArray(c.contextAgents)) c.contextAgents = c.contextAgents.map((x: Obj) => ({ ...x, agent: agentIds(x.agent) }));
    if (Array.isArray(c.contextGroups)) c.contextGroups = c.contextGroups.map((x: Obj) => ({ ...x, group: agentIds(x.group) }));
    o.context = c;
  }
  return o;
}

function canonicalCore(s: Obj, langs: string[]): Obj {
  const o: Obj = { ...s };
  if (o.verb?.display) o.verb = { ...o.verb, display: pickLanguage(o.verb.display, langs) };
  const ot = o.object?.objectType ?? 'Activity';
  if (ot === 'Activity') o.object = canonicalActivity(o.object, langs);
  else if (ot === 'SubStatement') o.object = canonicalCore(o.object, langs);
  if (o.context) o.context = mapContextActivities(o.context, (a) => canonicalActivity(a, langs));
  if (Array.isArray(o.attachments)) {
    o.attachments = o.attachments.map((a: Obj) => ({ ...a, display: pickLanguage(a.display, langs), ...(a.description ? { description: pickLanguage(a.description, langs) } : {}) }));
  }
  return o;
}

/**
 * Shapes a stored statement for a GET (xAPI Communication 2.1.3 `format`): exact as stored; ids keeps
 * only what identifies agents, activities and verbs; canonical keeps one language per language map,
 * chosen by Accept-Language.
 */
export function formatStatement(s: Obj, format: StatementFormat, langs: string[]): Obj {
  if (format === 'ids') return idsCore(s);
  if (format === 'canonical') return canonicalCore(s, langs);
  return s;
}
