import type { AppContext } from '../app-context.ts';
import type { Api } from '../api/types.ts';
import { schedulerComponent, workerComponent } from '../engine/component.ts';
import { sftpServerComponent } from '../sftp-server/component.ts';
import { startMetricsServer } from './metrics-server.ts';

/**
 * A long-running part of a process (the HTTP API, the scheduler, a worker, the hosted SFTP server).
 * `start` returns the function that stops it. `lmc serve` / `lmc start` run every component whose
 * `inServe` is true; `lmc worker` runs only the worker.
 */
export interface Component {
  name: string;
  start(ctx: AppContext, env: { api?: Api }): Promise<{ stop(): Promise<void>; describe?: string }>;
}

/** LMC_METRICS_PORT: /metrics and /health on a listener of their own (nothing when unset). */
export const metricsComponent: Component = {
  name: 'metrics',
  async start(ctx) {
    const m = await startMetricsServer(ctx);
    return m ? { stop: m.stop, describe: `metrics: ${m.url}/metrics` } : { stop: async () => undefined };
  },
};

/** The components of `lmc serve`, in start order (the API is started before these by serve itself). */
export const serveComponents: Component[] = [metricsComponent, sftpServerComponent, schedulerComponent, workerComponent];
