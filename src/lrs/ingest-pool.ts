import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { prepareBatch, type BatchInput, type PreparedBatch } from './prepare-batch.ts';

/**
 * The LRS's ingest threads (piscina, the usual worker-thread pool: a queue, idle threads ended, a crashed
 * thread replaced): parsing and validating a POSTed batch of 100 statements takes ~4-6 ms of CPU, and with 8
 * clients posting, the queries that arrived meanwhile waited behind dozens of such blocks on the API's event
 * loop (docs/lrs.md, "Ingest threads"). The threads run at a lower priority (ingest-thread.mjs), so that on
 * busy cores the queries go first. LMC_LRS_INGEST_THREADS sets how many threads (default 1; 0 keeps the work
 * on the main thread).
 */
const threads = (() => {
  const raw = process.env.LMC_LRS_INGEST_THREADS;
  const n = raw === undefined || raw === '' ? 1 : Number(raw);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, Math.max(1, os.cpus().length)) : 1;
})();

let pool: Piscina | undefined;

/** The prepared batch, from an ingest thread; null when the batch needs the usual path (or a thread failed). */
export async function prepareOffThread(input: BatchInput): Promise<PreparedBatch | null> {
  if (threads === 0) return prepareBatch(input);
  pool ??= new Piscina({
    filename: fileURLToPath(new URL('./ingest-thread.mjs', import.meta.url)),
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 30_000,
    // a full queue means the threads are far behind: the caller does the work itself rather than wait longer
    maxQueue: 64 * threads,
  });
  try {
    return (await pool.run(input)) as PreparedBatch | null;
  } catch {
    return prepareBatch(input);
  }
}
