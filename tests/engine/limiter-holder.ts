/**
 * A process that takes slots of a connection's limiter and then hangs (run by connection-limiter.test.ts,
 * which kills it with SIGKILL: a worker dying in the middle of its requests).
 * Usage: tsx limiter-holder.ts <databaseUrl> <connectionId> <concurrency> <slotsToTake> <leaseMs>
 */
import type { AppContext } from '../../src/app-context.ts';
import { openDatabase } from '../../src/db/database.ts';
import { connectionLimiter } from '../../src/engine/connection-limiter.ts';
import { createLogger } from '../../src/shared/logger.ts';

const [url, connectionId, concurrency, take, leaseMs] = process.argv.slice(2);
const { db } = openDatabase(url, { max: 2 });
const limiter = connectionLimiter({ db, log: createLogger('silent') } as unknown as AppContext, Number(connectionId), { concurrency: Number(concurrency) }, { leaseMs: Number(leaseMs) });
for (let i = 0; i < Number(take); i++) await limiter.acquire();
process.stdout.write('held\n');
setInterval(() => undefined, 60_000); // hang on to them (the lease is renewed) until killed
