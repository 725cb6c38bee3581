import { wsSecurityUsernameToken } from '../../kit/auth/ws-security.ts';
import { defineConnector } from '../../kit/define-connector.ts';
import { exportUserSkillsToWorkday } from './actions/export-user-skills.ts';
import { WORKDAY_ATTRIBUTES } from './attributes.ts';
import { callWorkday, workdayClassifier, type XmlNode } from './client.ts';
import { readWorkers, workdayImportState } from './read-workers.ts';
import { serviceRoot, workdaySettings, type WorkdaySettings } from './settings.ts';

/**
 * The spec's "Workday connector": workers in (the shared "Import Internal Users" over Get_Workers, with the
 * spec's 69 attributes, contingent exclusion and incremental reads) and user skills out (Manage_Skills).
 * Vendor docs: README.md beside this file.
 */
export default defineConnector<WorkdaySettings>({
  id: 'workday',
  displayName: 'Workday',
  description: 'Imports workers from a Workday tenant as users and exports their skills to Workday (Workday Web Services v40.1).',
  category: 'hr',
  settings: workdaySettings,
  auth: wsSecurityUsernameToken,
  http: {
    baseUrl: (c) => serviceRoot(c as WorkdaySettings),
    ca: (c) => (c as WorkdaySettings).caCertificates || undefined,
    // Workday limits concurrent web-service calls per tenant; one user's calls go one after another.
    limits: { concurrency: 2 },
    retry: { retries: 4, baseMs: 500, maxMs: 15_000 },
    classify: workdayClassifier,
  },
  actions: [exportUserSkillsToWorkday],
  users: {
    label: 'Workday',
    description: 'workers of the tenant through Get_Workers',
    state: workdayImportState,
    // The spec's "Points to note": UUID (the worker id), e-mail and name unique across the Workday connections
    // of an account; the UUID Workday set cannot be cleared by an admin.
    distinctAcrossConnections: ['id', 'email', 'name'],
    recordIdIsUuid: true,
    scheduleUnits: ['days', 'hours'],
    async fields() {
      return WORKDAY_ATTRIBUTES.map(({ name, label, description, type }) => ({ name, label, ...(description ? { description } : {}), type }));
    },
    read: (rc, want) => readWorkers(rc as never, want),
  },
  async testConnection(s, env) {
    try {
      const res = await callWorkday(env.http(), s, 'Human_Resources', 'Get_Workers', {
        'wd:Response_Filter': { 'wd:Page': '1', 'wd:Count': '1' },
        'wd:Response_Group': { 'wd:Include_Reference': 'true', 'wd:Include_Personal_Information': 'false', 'wd:Include_Employment_Information': 'false', 'wd:Include_Organizations': 'false' },
      }, { idempotent: true });
      const total = String(((res.Response_Results ?? {}) as XmlNode).Total_Results ?? '?');
      return { ok: true, message: `connected to the Workday tenant ${s.tenant} as ${s.auth.username}; ${total} workers visible` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
});
