import crypto from 'node:crypto';
import os from 'node:os';
import type PgBoss from 'pg-boss';
import type { AppContext } from '../app-context.ts';
import { engineTimings, type EngineTimings } from './engine-config.ts';
import { executeRun, reapExpiredRuns } from './executor.ts';
import { openBoss, RUN_QUEUE, sendRunJob, type RunJob } from './queue.ts';

export interface WorkerHandle {
  id: string;
  stop(): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    // The listener is removed after each sleep: the loop sleeps forever and must not pile them up.
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A worker: `concurrency` loops fetching run jobs from pg-boss and executing them. Each loop fetches again
 * at once after a job and sleeps pollMs only when the queue is empty. Also reaps runs whose lease lapsed.
 * On stop, running runs are aborted and end failed (interrupted).
 */
export async function startWorker(ctx: AppContext, opts: { timings?: EngineTimings; id?: string; boss?: PgBoss } = {}): Promise<WorkerHandle> {
  const timings = opts.timings ?? engineTimings();
  const id = opts.id ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const boss = opts.boss ?? (await openBoss(ctx.dbUrl, { max: timings.concurrency + 2 }));
  const stopping = new AbortController();
  const log = ctx.log.child({ worker: id });

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      let jobs: PgBoss.Job<RunJob>[] = [];
      try {
        jobs = await boss.fetch<RunJob>(RUN_QUEUE, { batchSize: 1 });
      } catch (e) {
        if (stopping.signal.aborted) return;
        log.warn({ err: e }, 'fetching jobs failed');
        await sleep(timings.pollMs, stopping.signal);
        continue;
      }
      if (!jobs || jobs.length === 0) {
        await sleep(timings.pollMs, stopping.signal);
        continue;
      }
      for (const job of jobs) {
        try {
          const out = await executeRun(ctx, job.data.runId, { workerId: id, timings, shutdown: stopping.signal });
          if (out.kind === 'busy') await sendRunJob(boss, job.data.runId, { startAfterMs: timings.busyRetryMs });
          await boss.complete(RUN_QUEUE, job.id);
        } catch (e) {
          log.error({ err: e, runId: job.data.runId }, 'executing a run failed');
          await boss.fail(RUN_QUEUE, job.id, { message: (e as Error).message }).catch(() => undefined);
        }
      }
    }
  }

  const reaper = setInterval(() => {
    reapExpiredRuns(ctx).catch((e) => log.warn({ err: e }, 'reaping expired runs failed'));
  }, timings.tickMs);
  const loops = Array.from({ length: Math.max(1, timings.concurrency) }, () => loop());
  log.info({ concurrency: timings.concurrency }, 'worker started');
  return {
    id,
    stop: async () => {
      clearInterval(reaper);
      stopping.abort();
      await Promise.allSettled(loops);
      if (!opts.boss) await boss.stop({ graceful: false, wait: true, close: true });
    },
  };
}
