// The API process of `npm run bench:lrs`: serves the product's API (with the LRS at /xapi) on DATABASE_URL
// and prints {"port": N} once listening. Its peak RSS is read from /proc by the bench.
import { buildApi } from '../src/api/app.ts';
import { openAppContext } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/shared/logger.ts';

const config = loadConfig({ ...process.env, LMC_DATA_DIR: '/tmp/lmc-bench-lrs-data', LMC_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
const ctx = await openAppContext({ config, dbUrl: process.env.DATABASE_URL!, log: createLogger('silent'), poolSize: Number(process.env.BENCH_POOL ?? 12) });
const api = await buildApi(ctx);
await api.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(JSON.stringify({ port: (api.server.address() as { port: number }).port }) + '\n');
process.on('SIGTERM', async () => {
  await api.close();
  await ctx.close();
  process.exit(0);
});
