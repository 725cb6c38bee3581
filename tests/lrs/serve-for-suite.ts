/**
 * Starts the API on a fresh database with one account and two LRS keys, one set to xAPI 2.0.0 and one to
 * 1.0.3 (each version's suite expects its own version on the answer to a request that names none), for
 * running ADL's LRS conformance suite (or any xAPI client) by hand:
 *
 *   npx tsx tests/lrs/serve-for-suite.ts            # prints ENDPOINT, KEY/SECRET (2.0.0), KEY_103/SECRET_103
 *   node bin/console_runner.js -x 2.0.0 -e $ENDPOINT -a -u $KEY -p $SECRET -z     (in the suite's folder)
 *   node bin/console_runner.js -x 1.0.3 -e $ENDPOINT -a -u $KEY_103 -p $SECRET_103 -z
 *
 * Uses DATABASE_URL's server when set, else an embedded PostgreSQL under /tmp. LRS_SUITE_PORT picks the port.
 */
import fs from 'node:fs/promises';
import crypto from 'node:crypto';
import pg from 'pg';
import { buildApi } from '../../src/api/app.ts';
import { openAppContext } from '../../src/app-context.ts';
import { loadConfig } from '../../src/config.ts';
import { withDatabase } from '../../src/db/database.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { prepareDatabase } from '../../src/db/prepare.ts';
import { createLrsCredential } from '../../src/lrs/credentials.ts';
import { createAccount } from '../../src/platform/accounts.ts';
import { createLogger } from '../../src/shared/logger.ts';

const dir = '/tmp/lmc-lrs-suite-pg';
let serverUrl = process.env.DATABASE_URL;
let stopPg: (() => Promise<void>) | undefined;
if (!serverUrl) {
  await fs.rm(dir, { recursive: true, force: true });
  const s = await startEmbeddedPostgres({ dir, port: Number(process.env.LRS_SUITE_PG_PORT ?? 54391), ephemeral: true });
  serverUrl = s.url;
  stopPg = s.stop;
}
const name = `lrs_suite_${crypto.randomBytes(4).toString('hex')}`;
const c = new pg.Client(serverUrl);
await c.connect();
await c.query(`create database ${name}`);
await c.end();
const url = withDatabase(serverUrl, name);
await prepareDatabase(url);
const config = loadConfig({ LMC_DATA_DIR: `/tmp/${name}`, LMC_SECRET_KEY: crypto.randomBytes(32).toString('base64') });
const ctx = await openAppContext({ config, dbUrl: url, log: createLogger(process.env.LMC_LOG_LEVEL ?? 'warn'), poolSize: 20 });
const account = await createAccount(ctx.db, { name: 'LRS conformance' });
const key = await createLrsCredential(ctx.db, account.id, { name: 'conformance suite 2.0.0', scopes: ['read', 'write'], version: '2.0.0' });
const key103 = await createLrsCredential(ctx.db, account.id, { name: 'conformance suite 1.0.3', scopes: ['read', 'write'], version: '1.0.3' });
const api = await buildApi(ctx, { logger: process.env.LRS_SUITE_LOG === '1' });
await api.listen({ host: '127.0.0.1', port: Number(process.env.LRS_SUITE_PORT ?? 0) });
const addr = api.server.address() as { port: number };
process.stdout.write(`ENDPOINT=http://127.0.0.1:${addr.port}/xapi\nKEY=${key.key}\nSECRET=${key.secret}\nKEY_103=${key103.key}\nSECRET_103=${key103.secret}\n`);
const stop = async () => {
  await api.close();
  await ctx.close();
  if (stopPg) await stopPg();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
