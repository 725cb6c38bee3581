// An ingest thread of the LRS (src/lrs/ingest-pool.ts): the sources are TypeScript run through tsx, which a
// worker thread must register for itself (bin/lmc.js does it for the main thread only).
import { register } from 'tsx/esm/api';

register();
const { prepareBatch } = await import('./prepare-batch.ts');
export default prepareBatch;
