import type { AppContext } from '../app-context.ts';
import type { Api } from '../api/types.ts';
import { schedulerComponent, workerComponent } from '../engine/component.ts';
import { sftpServerComponent } from '../sftp-server/component.ts';

/**
 * A long-running part of a process (the HTTP API, the scheduler, a worker, the hosted SFTP server).
 * `start` returns the function that stops it. `lmc serve` / `lmc start` run every component whose
 * `inServe` is true; `lmc worker` runs only the worker.
 */
export interface Component {
  name: string;
  start(ctx: AppContext, env: { api?: Api }): Promise<{ stop(): Promise<void>; describe?: string }>;
}

/** The components of `lmc serve`, in start order (the API is started before these by serve itself). */
export const serveComponents: Component[] = [sftpServerComponent, schedulerComponent, workerComponent];
