import { defineConnector } from '../../kit/define-connector.ts';
import { classifyGraph } from './graph-errors.ts';
import { entraAuth, entraSettings, graphBaseOf, type EntraSettings } from './settings.ts';
import { testEntraConnection } from './test-connection.ts';
import { entraUsers } from './users-source.ts';

/**
 * The spec's "ADFS connector": users of a Microsoft Entra ID tenant (formerly Azure AD) imported as internal
 * users through Microsoft Graph v1.0, signed in as an app registration (client credentials). The shared
 * "Import Internal Users" action comes with the `users` capability. Vendor docs: README.md.
 */
export default defineConnector<EntraSettings>({
  id: 'entra-id',
  displayName: 'Microsoft Entra ID',
  description: "Imports the users of a Microsoft Entra ID (Azure AD) tenant through Microsoft Graph: the spec's ADFS connector.",
  category: 'identity',
  settings: entraSettings,
  auth: entraAuth,
  // Throttling: https://learn.microsoft.com/graph/throttling (429/503 with Retry-After, honoured by the kit).
  http: { baseUrl: graphBaseOf, limits: { concurrency: 4 }, retry: { retries: 5, baseMs: 500, maxMs: 30_000 }, classify: classifyGraph },
  actions: [],
  users: entraUsers,
  testConnection: testEntraConnection,
});
