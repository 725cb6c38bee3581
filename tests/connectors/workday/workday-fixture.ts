import { useTestEngineEnv } from '../../engine/helpers.ts';
import { DEFAULT_WORKDAY_ISU, startWorkdaySimulator, type WorkdaySimOptions, type WorkdaySimulator } from '../../../simulators/workday/server.ts';
import { startImportApi, type ImportApiStack } from '../../user-import/api-stack.ts';

/**
 * What the Workday tests through the engine share: the engine's test settings, the simulator with the import
 * stack (database, API, worker, an account with its admin), the connection settings for the simulator and the
 * mapping of Workday attributes.
 *
 * @example beforeAll(async () => ({ sim, stack } = await startWorkdayStack({ workers: 150 })), 120_000);
 */
export function useWorkdayEngineEnv(): void {
  useTestEngineEnv();
  // A page of 100 workers is about 1 MB of XML, parsed in one go; on a loaded test machine that can hold the
  // event loop longer than the fast lease of the engine tests (1.5 s). Leases are not what these files test.
  process.env.LMC_RUN_LEASE_MS = '30000';
  process.env.LMC_RUN_HEARTBEAT_MS = '500';
}

/** The connection settings for a simulator (its tenant, the default integration system user). */
export const simSettings = (sim: WorkdaySimulator) => ({
  hostUrl: sim.url,
  tenant: sim.tenant,
  auth: { username: `${DEFAULT_WORKDAY_ISU.username}@${sim.tenant}`, password: DEFAULT_WORKDAY_ISU.password },
});

/** E-mail, name, manager (by Workday id), business title and department. */
export const WORKDAY_MAPPING = {
  email: 'Primary Work Email',
  name: 'wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name',
  manager: 'manager',
  userType: null,
  profile: { title: 'wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Title' },
  fields: { Department: 'wd:Organization_Subtype_Reference_Department' } as Record<string, string>,
};

/** The Workday simulator and the import stack (call useWorkdayEngineEnv() first); stop() ends both. */
export async function startWorkdayStack(simOptions: WorkdaySimOptions): Promise<{ sim: WorkdaySimulator; stack: ImportApiStack; stop(): Promise<void> }> {
  const sim = await startWorkdaySimulator(simOptions);
  const stack = await startImportApi().catch(async (e) => {
    await sim.close();
    throw e;
  });
  return {
    sim,
    stack,
    async stop() {
      await stack.stop();
      await sim.close();
    },
  };
}
