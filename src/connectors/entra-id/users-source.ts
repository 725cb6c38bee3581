import type { UserSourceCapability } from '../../kit/user-source.ts';
import { fieldsFromCsdl } from './csdl-fields.ts';
import { entraState, readEntraUsers, type EntraState } from './read-users.ts';
import type { EntraSettings } from './settings.ts';

/**
 * The tenant's users for "Import Internal Users": fields from Graph's $metadata, users from /users (full)
 * and /users/delta (changes); see read-users.ts for when each is used.
 */
export const entraUsers: UserSourceCapability<EntraSettings, EntraState> = {
  label: 'Microsoft Entra ID',
  description: 'the users of the tenant, read through Microsoft Graph; after the first run only the changes',
  // https://learn.microsoft.com/graph/traverse-the-graph#microsoft-graph-api-metadata
  async fields(_s, env) {
    const xml = await env.http().get<string>('/$metadata', { responseType: 'text' });
    return fieldsFromCsdl(xml);
  },
  read: (rc, want) => readEntraUsers(rc as never, want),
  state: entraState,
  scheduleUnits: ['hours', 'days'],
};
