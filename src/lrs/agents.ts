/**
 * Agent identity: the key under which an Agent or identified Group is indexed and compared. Two agents
 * are the same when they have the same objectType and the same inverse functional identifier (IFI).
 */
type Obj = Record<string, any>;

/** "Agent|mbox:mailto:a@b.c", "Group|account:https://x|name", ...; undefined for anonymous groups. */
export function agentKey(a: Obj | undefined | null): string | undefined {
  if (!a || typeof a !== 'object') return undefined;
  const type = a.objectType === 'Group' ? 'Group' : 'Agent';
  if (typeof a.mbox === 'string') return `${type}|mbox:${a.mbox}`;
  if (typeof a.mbox_sha1sum === 'string') return `${type}|sha1:${a.mbox_sha1sum.toLowerCase()}`;
  if (typeof a.openid === 'string') return `${type}|openid:${a.openid}`;
  if (a.account && typeof a.account === 'object') return `${type}|account:${a.account.homePage}|${a.account.name}`;
  return undefined;
}

/** The IFI part of an agent only (for format=ids and for /agents). */
export function agentIds(a: Obj): Obj {
  const out: Obj = {};
  if (a.objectType) out.objectType = a.objectType;
  for (const k of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (a[k] !== undefined) out[k] = a[k];
  if (a.objectType === 'Group' && Array.isArray(a.member) && agentKey(a) === undefined) out.member = a.member.map(agentIds);
  return out;
}

export interface StatementIndex {
  agents: Map<string, boolean>;
  activities: Map<string, boolean>;
}

function addAgent(idx: StatementIndex, a: Obj | undefined, direct: boolean): void {
  if (!a || typeof a !== 'object') return;
  const k = agentKey(a);
  if (k) idx.agents.set(k, (idx.agents.get(k) ?? false) || direct);
  // Members of a group are related to the statement (related_agents), never its direct actor.
  if (a.objectType === 'Group' && Array.isArray(a.member)) for (const m of a.member) addAgent(idx, m, false);
}

function addActivity(idx: StatementIndex, a: Obj | undefined, direct: boolean): void {
  if (!a || typeof a !== 'object' || typeof a.id !== 'string') return;
  idx.activities.set(a.id, (idx.activities.get(a.id) ?? false) || direct);
}

function addContext(idx: StatementIndex, c: Obj | undefined): void {
  if (!c) return;
  addAgent(idx, c.instructor, false);
  addAgent(idx, c.team, false);
  for (const ca of c.contextAgents ?? []) addAgent(idx, ca?.agent, false);
  for (const cg of c.contextGroups ?? []) addAgent(idx, cg?.group, false);
  for (const list of Object.values(c.contextActivities ?? {})) {
    for (const act of Array.isArray(list) ? list : [list]) addActivity(idx, act as Obj, false);
  }
}

/**
 * What a statement is indexed under: agents (actor and object direct; authority, context agents, team,
 * instructor, group members and the sub-statement's agents related) and activities (the object direct;
 * context activities and the sub-statement's related).
 */
export function indexStatement(s: Obj): StatementIndex {
  const idx: StatementIndex = { agents: new Map(), activities: new Map() };
  addAgent(idx, s.actor, true);
  const o = s.object ?? {};
  const ot = o.objectType ?? 'Activity';
  if (ot === 'Agent' || ot === 'Group') addAgent(idx, o, true);
  if (ot === 'Activity') addActivity(idx, o, true);
  addAgent(idx, s.authority, false);
  addContext(idx, s.context);
  if (ot === 'SubStatement') {
    addAgent(idx, o.actor, false);
    const so = o.object ?? {};
    const sot = so.objectType ?? 'Activity';
    if (sot === 'Agent' || sot === 'Group') addAgent(idx, so, false);
    if (sot === 'Activity') addActivity(idx, so, false);
    addContext(idx, o.context);
  }
  return idx;
}
