import { defineConnector } from '../../kit/define-connector.ts';
import { HttpError } from '../../kit/http/http-error.ts';
import { readMiniOrangeUsers, LABEL, miniOrangeState } from './read-users.ts';
import { scimClassifier, type ListResponse } from './scim-client.ts';
import { MANAGER_ID_FIELD, userFields } from './schema-fields.ts';
import { miniOrangeAuth, miniOrangeSettings, type MiniOrangeSettings } from './settings.ts';

/**
 * The spec's "miniOrange connector": Import Internal Users from a miniOrange tenant, read through the SCIM 2.0
 * endpoint of its "SCIM Client (Source)" app (SCIM Base URL + Bearer Token). Why SCIM and not miniOrange's
 * User API, and what each call follows: README.md.
 */
export default defineConnector<MiniOrangeSettings>({
  id: 'miniorange',
  displayName: 'miniOrange',
  description: 'Imports the users of a miniOrange tenant (with custom attributes and managers) as internal users.',
  category: 'identity',
  settings: miniOrangeSettings,
  auth: miniOrangeAuth,
  // miniOrange publishes no rate limit for this endpoint: a modest pace, and whatever 429 + Retry-After say.
  http: { baseUrl: (c) => c.scimBaseUrl, limits: { concurrency: 2, ratePerSecond: 10 }, classify: scimClassifier, headers: { accept: 'application/scim+json, application/json' } },
  actions: [],
  users: {
    label: LABEL,
    description: 'users of the tenant through its SCIM 2.0 endpoint',
    async fields(_s, env) {
      const fields = await userFields(env.http());
      return fields.map((f) => (f.name === MANAGER_ID_FIELD ? { ...f, label: "Manager's miniOrange id", description: 'The id of the manager (managers are linked by it automatically)' } : f));
    },
    state: miniOrangeState,
    read: (rc, want) => readMiniOrangeUsers(rc, want),
  },
  async testConnection(_s, env) {
    try {
      const page = await env.http().get<ListResponse>('/Users', { query: { startIndex: 1, count: 1 } });
      if (typeof page?.totalResults !== 'number') return { ok: false, message: 'the address answered, but not as a SCIM 2.0 endpoint (no ListResponse): check the SCIM Base URL' };
      return { ok: true, message: `connected to miniOrange; ${page.totalResults} users visible` };
    } catch (e) {
      // The operator forbids this address: its own coded error (the form shows it on the address).
      if (e instanceof HttpError && e.code === 'LMC_ERR_HTTP_TARGET_NOT_ALLOWED') throw e;
      if (e instanceof HttpError && e.httpStatus === 401) return { ok: false, message: 'miniOrange refused the bearer token: copy it again from the SCIM app in the miniOrange console' };
      if (e instanceof HttpError && e.httpStatus === 404) return { ok: false, message: 'no SCIM endpoint at this address (404): check the SCIM Base URL' };
      return { ok: false, message: (e as Error).message };
    }
  },
});
