/**
 * Runs the Microsoft Graph simulator on its own: `npm run sim -- graph`. Prints the base URL, the token URL
 * and the app registration's credentials. GRAPH_SIM_USERS (default 2500), GRAPH_SIM_TOKEN_TTL (seconds).
 */
import { DEFAULT_GRAPH_APP, startGraphSimulator } from './server.ts';

const sim = await startGraphSimulator({ users: Number(process.env.GRAPH_SIM_USERS ?? 2500), tokenTtlSeconds: Number(process.env.GRAPH_SIM_TOKEN_TTL ?? 3599) });
process.stdout.write(
  [
    `Microsoft Graph simulator at ${sim.url}/v1.0 (${sim.store.size} users)`,
    `token URL: ${sim.url}/${DEFAULT_GRAPH_APP.tenantId}/oauth2/v2.0/token (scope https://graph.microsoft.com/.default)`,
    `settings: ${JSON.stringify({ tenantId: DEFAULT_GRAPH_APP.tenantId, clientId: DEFAULT_GRAPH_APP.clientId, clientSecret: DEFAULT_GRAPH_APP.clientSecret, apiBaseUrl: `${sim.url}/v1.0` })}`,
    `faults: curl -X POST ${sim.url}/_sim/faults -H 'content-type: application/json' -d '{"kind":"503","retryAfterSeconds":2}'`,
  ].join('\n') + '\n',
);
process.on('SIGINT', () => void sim.close().then(() => process.exit(0)));
