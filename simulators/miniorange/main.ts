/**
 * Runs the miniOrange SCIM simulator on its own: `npm run sim -- miniorange`. Prints the SCIM Base URL and
 * the Bearer Token to put in a connection. MINIORANGE_SIM_USERS (default 250), MINIORANGE_SIM_PAGE (max
 * users per page, default 100).
 */
import { startMiniOrangeSimulator } from './server.ts';

const sim = await startMiniOrangeSimulator({ users: Number(process.env.MINIORANGE_SIM_USERS ?? 250), maxResults: Number(process.env.MINIORANGE_SIM_PAGE ?? 100) });
process.stdout.write(
  [
    `miniOrange SCIM 2.0 simulator at ${sim.scimBaseUrl} (${sim.store.size} users)`,
    `settings: ${JSON.stringify({ scimBaseUrl: sim.scimBaseUrl, auth: { token: sim.token } })}`,
    `try: curl -H 'authorization: Bearer ${sim.token}' '${sim.scimBaseUrl}/Users?startIndex=1&count=2'`,
    `faults: curl -X POST ${sim.url}/_sim/faults -H 'content-type: application/json' -d '{"kind":"429","retryAfterSeconds":2}'`,
  ].join('\n') + '\n',
);
process.on('SIGINT', () => void sim.close().then(() => process.exit(0)));
