// An ingest thread of the LRS (src/lrs/ingest-pool.ts): the sources are TypeScript run through tsx, which a
// worker thread must register for itself (bin/lmc.js does it for the main thread only).
import fs from 'node:fs';
import os from 'node:os';
import { register } from 'tsx/esm/api';

// Below the event loop's priority (Linux: this thread's own nice value): when the cores are busy, the queries
// the main thread answers go first and the ingest takes what is left. LMC_LRS_INGEST_NICE, default 19 (the
// lowest priority: on a quiet 2-core machine the verb query's p99 during ingest was 43.5 ms against 50.0 ms at
// nice 10, medians of three bench:lrs runs each, for the same ingest rate; docs/lrs.md).
try {
  const nice = Number(process.env.LMC_LRS_INGEST_NICE ?? 19);
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && Number.isInteger(nice) && nice > 0) os.setPriority(tid, Math.min(19, nice));
} catch {
  // not Linux, or not allowed: the thread keeps the process's priority
}

register();
const { prepareBatch } = await import('./prepare-batch.ts');
export default prepareBatch;
