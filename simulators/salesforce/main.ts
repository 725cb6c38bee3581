/**
 * Runs the Salesforce simulator on its own: `npm run sim -- salesforce`. Prints the org URL (also the login and
 * instance URL), the connected app's consumer key and secret, and how to inject faults.
 * SF_SIM_USERS (default 25), SF_SIM_CONTACTS (default 40), SF_SIM_REDIRECT (the hub's OAuth callback,
 * default http://localhost:8080/api/v1/oauth/callback), SF_SIM_SESSION_SECONDS (default 7200).
 */
import { DEFAULT_SF_APP, startSalesforceSimulator } from './server.ts';

const redirect = process.env.SF_SIM_REDIRECT ?? 'http://localhost:8080/api/v1/oauth/callback';
const sim = await startSalesforceSimulator({
  users: Number(process.env.SF_SIM_USERS ?? 25),
  contacts: Number(process.env.SF_SIM_CONTACTS ?? 40),
  redirectUris: [redirect, 'http://localhost:1717/OauthRedirect'],
  sessionSeconds: Number(process.env.SF_SIM_SESSION_SECONDS ?? 7200),
});
process.stdout.write(
  [
    `Salesforce simulator at ${sim.url} (org URL; ${sim.store.all('User').length} users, ${sim.store.all('Contact').length} contacts)`,
    `REST API: ${sim.url}/services/data/v62.0   OAuth: ${sim.url}/services/oauth2/authorize and /token`,
    `connected app: consumer key ${DEFAULT_SF_APP.clientId}, secret ${DEFAULT_SF_APP.clientSecret}, callback ${redirect}`,
    `settings: ${JSON.stringify({ orgUrl: sim.url, auth: { method: 'web-server', clientId: DEFAULT_SF_APP.clientId, clientSecret: DEFAULT_SF_APP.clientSecret } })}`,
    `faults: curl -X POST ${sim.url}/_sim/faults -H 'content-type: application/json' -d '{"kind":"429","count":2}'`,
  ].join('\n') + '\n',
);
process.on('SIGINT', () => void sim.close().then(() => process.exit(0)));
