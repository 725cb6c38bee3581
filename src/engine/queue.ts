import PgBoss from 'pg-boss';
import type pg from 'pg';

/** The pg-boss queue carrying "run #n is due". The runs table is the truth; a job only wakes a worker. */
export const RUN_QUEUE = 'lmc-run';
export const BOSS_SCHEMA = 'pgboss';

export interface RunJob {
  runId: number;
}

const QUEUE_OPTIONS: PgBoss.Queue = {
  name: RUN_QUEUE,
  // "short": at most one waiting job per singleton key (run:<id>), so re-sending a job for a run is harmless.
  policy: 'short',
  retryLimit: 0,
  // The engine's own lease decides whether a run was interrupted; pg-boss's expiry only tidies up.
  expireInHours: 23,
  retentionDays: 7,
};

/** Opens pg-boss on the product's database (its own schema). `supervise` runs pg-boss's maintenance (serve only). */
export async function openBoss(dbUrl: string, opts: { supervise?: boolean; max?: number } = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: dbUrl,
    schema: BOSS_SCHEMA,
    max: opts.max ?? 4,
    supervise: opts.supervise ?? false,
    schedule: false,
    migrate: true,
    application_name: 'lmc-queue',
  });
  boss.on('error', () => undefined); // transient errors surface through the calls that fail
  await boss.start();
  if (!(await boss.getQueue(RUN_QUEUE))) await boss.createQueue(RUN_QUEUE, QUEUE_OPTIONS).catch(async (e) => {
    if (!(await boss.getQueue(RUN_QUEUE))) throw e; // created meanwhile by another process is fine
  });
  return boss;
}

/** Installs pg-boss's schema and the run queue (called by prepareDatabase, so test templates carry them). */
export async function installQueue(dbUrl: string): Promise<void> {
  const boss = await openBoss(dbUrl, { max: 1 });
  await boss.stop({ graceful: false, wait: true, close: true });
}

/**
 * Sends the job of a run. With `client`, inside the caller's transaction: the run row and its job commit
 * together (a crash in between cannot leave a queued run without a job).
 */
export async function sendRunJob(boss: PgBoss, runId: number, opts: { client?: pg.PoolClient; startAfterMs?: number } = {}): Promise<void> {
  await boss.send(RUN_QUEUE, { runId } satisfies RunJob, {
    singletonKey: `run:${runId}`,
    ...(opts.startAfterMs ? { startAfter: new Date(Date.now() + opts.startAfterMs) } : {}),
    ...(opts.client ? { db: { executeSql: (text: string, values: unknown[]) => opts.client!.query(text, values) } } : {}),
  });
}
