import type { Component } from '../server/components.ts';
import { engineTimings } from './engine-config.ts';
import { startScheduler } from './scheduler.ts';
import { startWorker } from './worker.ts';

/** `lmc serve`: queues due schedule slots and reaps interrupted runs. */
export const schedulerComponent: Component = {
  name: 'scheduler',
  async start(ctx) {
    const s = startScheduler(ctx, engineTimings());
    return { stop: s.stop, describe: 'scheduler: queuing due schedule slots' };
  },
};

/** A worker inside `lmc serve` (skip with --no-worker and run `lmc worker` processes instead). */
export const workerComponent: Component = {
  name: 'worker',
  async start(ctx) {
    const w = await startWorker(ctx, { timings: engineTimings() });
    return { stop: w.stop, describe: `worker ${w.id}: executing runs` };
  },
};
