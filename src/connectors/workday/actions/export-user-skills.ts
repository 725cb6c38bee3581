/**
 * "Export User Skills" to Workday (spec "Workday connector" > Export): the skills users achieved in the run's
 * window (active users' skills; retired skills left out, as the User Skills report does), each sent to the
 * worker the user was imported from, with two operations of Workday's Talent service (their shapes:
 * simulators/workday/wsdl/Talent-skills.xsd, from the Talent WSDL):
 *  - Put_Skill (https://community.workday.com/sites/default/files/file-hosting/productionapi/Talent/v40.1/Put_Skill.html)
 *    adds each skill item of the run, once, under the connection's skill item category;
 *  - Manage_Skills (https://community.workday.com/sites/default/files/file-hosting/productionapi/Talent/v40.1/Manage_Skills.html)
 *    then adds the items to each worker (Manage_Skills_Data: Worker_Reference, Skill/Skill_Item_Reference).
 *
 * Workday has four skill levels (skill profile category, skill profile, skill item category, skill item);
 * the platform's skill name and level together become one skill item ("Negotiation: Level 2") under the
 * connection's skill item category. The item's Skill_ID is derived from its name, so two platform accounts
 * exporting to one tenant put equal skill names on the same skill item. Two accounts may not export to the same
 * Workday account at the same time (spec note): a lock held across every worker refuses the second.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../../../kit/define-connector.ts';
import type { RunContext } from '../../../kit/run-context.ts';
import { LmcError } from '../../../shared/errors.ts';
import { callWorkday, type XmlNode } from '../client.ts';
import { WorkdayErrors } from '../errors.ts';
import { workdayAccountKey, type WorkdaySettings } from '../settings.ts';

export const exportSkillsOptions = z.object({});

/** Skill item name in Workday: the platform's skill and level together. */
export const skillItemName = (skill: string, level: string, levelName: string) => `${skill.trim()}: ${levelName.trim() || `Level ${level}`}`;

/** The Skill_ID of a skill item: the same name gives the same id, in any account. */
export const skillItemId = (name: string) => `LM-${crypto.createHash('sha256').update(name.normalize('NFC').toLowerCase()).digest('hex').slice(0, 24)}`;

interface UserSkills {
  email: string;
  items: Map<string, string>;
}

export const exportUserSkillsToWorkday = defineAction<WorkdaySettings, z.infer<typeof exportSkillsOptions>>({
  id: 'export-user-skills',
  displayName: 'Export User Skills',
  kind: 'export',
  description: "Sends the skills users achieved in the period (retired skills excluded) to their workers' skills in Workday, as skill items named after the skill and its level.",
  options: exportSkillsOptions,
  scheduleUnits: ['days'],
  windowed: true,
  supportsDryRun: false,
  async run(rc) {
    const s = rc.connection.settings;
    const locked = await rc.platform.exclusive(workdayAccountKey(s), () => exportSkills(rc));
    if (locked.busy) throw WorkdayErrors.EXPORT_BUSY.create({ detail: `${s.tenant} at ${s.hostUrl} as ${s.auth.username}` });
  },
});

async function exportSkills(rc: RunContext<WorkdaySettings>): Promise<void> {
  const s = rc.connection.settings;
  rc.progress(0, undefined, 'reading skills');
  const byUser = new Map<number, UserSkills>();
  let rows = 0;
  // The User Skills report of the run's window: the same rows its CSV export writes (retired skills left out).
  for await (const batch of rc.platform.reportRows('user-skills')) {
    for (const row of batch) {
      rows++;
      // Only active users' skills go out (a suspended user's worker is gone or going in Workday).
      if (row['User State'] !== 'active') continue;
      const id = Number(row['User ID']);
      let u = byUser.get(id);
      if (!u) byUser.set(id, (u = { email: row.Email, items: new Map() }));
      const name = skillItemName(row.Skill, row['Skill Level'], row['Level Name']);
      u.items.set(skillItemId(name), name);
    }
  }
  rc.count('read', rows);
  const workers = await rc.platform.userSourceIds([...byUser.keys()]);
  const items = await putSkillItems(rc, byUser);
  let done = 0;
  for (const [userId, u] of byUser) {
    if (rc.signal.aborted) return;
    const workerId = workers.get(userId);
    if (!workerId) {
      await rc.reject({ source: 'Learning Manager', recordId: u.email, field: 'user', reason: WorkdayErrors.NO_WORKER_ID.spec.message });
      continue;
    }
    // The items Put_Skill refused are rejected already (once each); the worker gets the others.
    const ids = [...u.items.keys()].filter((id) => items.has(id));
    if (!ids.length) continue;
    const request: XmlNode = {
      'wd:Manage_Skills_Data': {
        'wd:Worker_Reference': { 'wd:ID': { '@wd:type': workerId.startsWith('C') ? 'Contingent_Worker_ID' : 'Employee_ID', $: workerId } },
        'wd:Skill': ids.map((id) => ({ 'wd:Skill_Item_Reference': { 'wd:ID': { '@wd:type': 'Skill_ID', $: id } } })),
      },
    };
    try {
      await callWorkday(rc.http(), s, 'Talent', 'Manage_Skills', request, { idempotent: true });
      // An export's rows written (what Execution Status shows): the skill items sent.
      rc.count('created', ids.length);
    } catch (e) {
      // A worker Workday refuses is a reject of that worker; anything else (credentials, outage) stops the run.
      if (isFault(e)) {
        await rc.reject({ source: 'Workday', recordId: workerId, field: 'skills', reason: (e as Error).message });
        continue;
      }
      throw e;
    }
    rc.progress(++done, byUser.size, 'sending skills');
  }
  rc.log('info', `sent the skills of ${done} workers to Workday (${rows} skill achievements in the period)`, { workers: done, rows });
}

const isFault = (e: unknown) => e instanceof LmcError && (WorkdayErrors.VALIDATION_FAULT.is(e) || WorkdayErrors.PROCESSING_FAULT.is(e));

/**
 * Put_Skill for each skill item of the run, once: Workday adds the item under the connection's skill item
 * category, or finds it there already (same Skill_ID, same name: what another account sharing the tenant put).
 * Returns the Skill_IDs Workday holds; an item it refuses (e.g. its name belongs to another item) is rejected.
 * An unknown category would refuse every item: the run stops at the first with the reason.
 */
async function putSkillItems(rc: RunContext<WorkdaySettings>, byUser: Map<number, UserSkills>): Promise<Set<string>> {
  const s = rc.connection.settings;
  const all = new Map<string, string>();
  for (const u of byUser.values()) for (const [id, name] of u.items) all.set(id, name);
  const held = new Set<string>();
  let n = 0;
  for (const [id, name] of all) {
    if (rc.signal.aborted) break;
    try {
      await callWorkday(
        rc.http(),
        s,
        'Talent',
        'Put_Skill',
        {
          'wd:Skill_Reference': { 'wd:ID': { '@wd:type': 'Skill_ID', $: id } },
          'wd:Skill_Data': { '@wd:Name': name, 'wd:Category_Reference': { 'wd:ID': { '@wd:type': 'Skill_Item_Category_Name', $: s.skillItemCategory } }, 'wd:ID': id },
        },
        { idempotent: true },
      );
      held.add(id);
    } catch (e) {
      if (!isFault(e)) throw e;
      if (/Category_Reference/.test((e as Error).message)) throw WorkdayErrors.SKILL_CATEGORY_UNKNOWN.create({ detail: `"${s.skillItemCategory}": ${(e as Error).message}`, cause: e });
      await rc.reject({ source: 'Workday', recordId: name, field: 'skill', reason: (e as Error).message });
    }
    rc.progress(++n, all.size, 'adding skill items');
  }
  return held;
}
