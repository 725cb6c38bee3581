/**
 * Runs the Box simulator on its own for demos: `npx tsx simulators/box/main.ts`. Prints the base URL and the
 * app's credentials to put in a Box connection's settings (apiBaseUrl = the URL).
 */
import { DEFAULT_BOX_APP, startBoxSimulator } from './server.ts';

const sim = await startBoxSimulator({ tokenTtlSeconds: Number(process.env.BOX_SIM_TOKEN_TTL ?? 3600) });
const folder = sim.store.addFolder('0', 'Learning Manager');
process.stdout.write(
  [
    `Box simulator at ${sim.url} (uploads: ${sim.uploadUrl})`,
    `settings: ${JSON.stringify({ clientId: DEFAULT_BOX_APP.clientId, clientSecret: DEFAULT_BOX_APP.clientSecret, enterpriseId: DEFAULT_BOX_APP.enterpriseId, rootFolderId: folder.id, apiBaseUrl: sim.url })}`,
    `faults: curl -X POST ${sim.url}/_sim/faults -H 'content-type: application/json' -d '{"kind":"429","retryAfterSeconds":2}'`,
  ].join('\n') + '\n',
);
process.on('SIGINT', () => void sim.close().then(() => process.exit(0)));
