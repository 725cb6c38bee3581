import { defineConnector } from '../../kit/define-connector.ts';
import { exportLearningRecords } from './actions/export-learning-records.ts';
import { salesforceChoices } from './choices.ts';
import { salesforceClassifier } from './client.ts';
import { API_VERSION, salesforceAuth, salesforceSettings, type SalesforceSettings } from './settings.ts';
import { salesforceUsers } from './users.ts';

/**
 * The spec's "Salesforce connector": the org URL is the only input; Connect signs in at the org (OAuth web
 * server flow with PKCE), or the JWT bearer flow for unattended orgs. Imports Users or Contacts (the shared
 * "Import Internal Users", attached by the `users` capability) and exports learner transcripts into a custom
 * object. Vendor docs cited in client.ts, users.ts and actions/.
 */
export default defineConnector<SalesforceSettings>({
  id: 'salesforce',
  displayName: 'Salesforce',
  description: 'Imports Salesforce Users or Contacts as learners and exports learning records into custom objects of the org.',
  category: 'crm',
  settings: salesforceSettings,
  auth: salesforceAuth,
  http: {
    baseUrl: (c) => `${c.orgUrl}/services/data/${API_VERSION}`,
    classify: salesforceClassifier,
    // Salesforce allows 25 long-running requests at once per org; a connection keeps well below.
    limits: { concurrency: 4 },
    retry: { retries: 6, baseMs: 500, maxMs: 30_000 },
  },
  users: salesforceUsers,
  // The Contact columns and their values the subset form offers, read from the org.
  choices: salesforceChoices,
  actions: [exportLearningRecords],
  async testConnection(_s, env) {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
    const limits = await env.http().get<{ DailyApiRequests?: { Max: number; Remaining: number } }>('/limits');
    const d = limits.DailyApiRequests;
    return { ok: true, message: `connected to Salesforce${d ? `; ${d.Remaining} of ${d.Max} daily API requests left` : ''}` };
  },
});
