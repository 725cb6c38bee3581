import { agentKey, indexStatement } from './agents.ts';
import { parseTimestamp, VOIDED_VERB } from './validate-statement.ts';

type Obj = Record<string, any>;

/**
 * What the LRS writes for one statement, computed before the write: its indexed columns, its JSON, and the
 * rows of its agent and activity indexes. Built on the request's thread or on an ingest thread
 * (prepare-batch.ts): the group write only joins these (src/lrs/store-statements.ts).
 */
export interface StatementRow {
  id: string;
  actor_key: string | null;
  verb_id: string;
  oa: string | null;
  os: string | null;
  reg: string | null;
  is_voiding: boolean;
  ts: string;
  hashes: string[];
  /** The full stored statement as JSON. */
  json: string;
  agents: Array<[string, boolean]>;
  activities: Array<[string, boolean]>;
}

/** The row of a full statement (id, stored, authority, version and timestamp set). */
export function statementRow(s: Obj, stored: string): StatementRow {
  const o = s.object ?? {};
  const ot = o.objectType ?? 'Activity';
  const idx = indexStatement(s);
  return {
    id: s.id,
    actor_key: agentKey(s.actor) ?? null,
    verb_id: s.verb.id,
    oa: ot === 'Activity' ? o.id : null,
    os: ot === 'StatementRef' ? String(o.id).toLowerCase() : null,
    reg: s.context?.registration?.toLowerCase() ?? null,
    is_voiding: s.verb.id === VOIDED_VERB && ot === 'StatementRef',
    ts: (parseTimestamp(s.timestamp) ?? new Date(stored)).toISOString(),
    hashes: ((s.attachments ?? []) as Obj[]).map((a) => String(a.sha2).toLowerCase()),
    json: JSON.stringify(s),
    agents: [...idx.agents],
    activities: [...idx.activities],
  };
}

/** The activity definitions a statement carries (object, context activities, sub-statement), merged by id into `out`. */
export function activityDefinitions(s: Obj, out: Map<string, Obj>): void {
  const add = (a: Obj | undefined) => {
    if (!a || typeof a.id !== 'string' || (a.objectType ?? 'Activity') !== 'Activity' || !a.definition) return;
    const prev = out.get(a.id);
    // merges below build new objects, so the statement's own definition is never changed through `out`
    if (!prev) out.set(a.id, a.definition);
    else {
      const d = a.definition;
      out.set(a.id, { ...prev, ...d, ...(prev.name || d.name ? { name: { ...prev.name, ...d.name } } : {}), ...(prev.description || d.description ? { description: { ...prev.description, ...d.description } } : {}) });
    }
  };
  const fromContext = (c: Obj | undefined) => {
    for (const list of Object.values(c?.contextActivities ?? {})) for (const a of Array.isArray(list) ? list : [list]) add(a as Obj);
  };
  add(s.object);
  fromContext(s.context);
  if (s.object?.objectType === 'SubStatement') {
    add(s.object.object);
    fromContext(s.object.context);
  }
}
