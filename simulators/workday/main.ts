/**
 * Runs the Workday simulator on its own: `npm run sim -- workday`. Prints the connection settings (host URL,
 * tenant, ISU user name and password). WORKDAY_SIM_WORKERS (default 250), WORKDAY_SIM_HTTPS=1 for HTTPS with a
 * CA generated for the run (its PEM is printed).
 */
import { DEFAULT_WORKDAY_ISU, startWorkdaySimulator } from './server.ts';

const sim = await startWorkdaySimulator({ workers: Number(process.env.WORKDAY_SIM_WORKERS ?? 250), https: process.env.WORKDAY_SIM_HTTPS === '1', keepRequests: false });
process.stdout.write(
  [
    `Workday simulator at ${sim.url}/ccx/service/${sim.tenant}/Human_Resources/v40.1 (${sim.store.size} workers)`,
    `settings: ${JSON.stringify({ hostUrl: sim.url, tenant: sim.tenant, auth: { username: `${DEFAULT_WORKDAY_ISU.username}@${sim.tenant}`, password: DEFAULT_WORKDAY_ISU.password } })}`,
    `faults: curl -X POST ${sim.url}/_sim/faults -H 'content-type: application/json' -d '{"kind":"429","retryAfterSeconds":2}'`,
    `        curl -X POST ${sim.url}/_sim/faults -H 'content-type: application/json' -d '{"kind":"validation","message":"Invalid ID value."}'`,
    ...(sim.ca ? [`CA certificate (trust it in the connection):\n${sim.ca.certPem}`] : []),
  ].join('\n') + '\n',
);
process.on('SIGINT', () => void sim.close().then(() => process.exit(0)));
