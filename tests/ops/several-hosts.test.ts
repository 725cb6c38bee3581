import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker, until, useTestEngineEnv } from '../engine/helpers.ts';
useTestEngineEnv();
import { openAppContext } from '../../src/app-context.ts';
import { loadConfig } from '../../src/config.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { assertSecretKeyMatches } from '../../src/engine/secret-key-check.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createAccountWithToken } from '../helpers/api.ts';
import { runLmc } from '../helpers/cli.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

const key = crypto.randomBytes(32).toString('base64');
const otherKey = crypto.randomBytes(32).toString('base64');
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ LMC_SECRET_KEY: key });
});
afterAll(async () => {
  await ctx?.destroy();
});

/** A second process of the installation (another host): same database, its own key. */
async function processWithKey(k: string) {
  return openAppContext({ config: loadConfig({ LMC_SECRET_KEY: k, LMC_DATA_DIR: ctx.config.dataDir }), dbUrl: ctx.dbUrl, log: createLogger('silent') });
}

describe('several hosts share one secret key (issue 18.5)', () => {
  it('the first process stores a check value; a process with the same key matches it, one with another key is refused', async () => {
    expect(await assertSecretKeyMatches(ctx)).toBe('stored');
    const same = await processWithKey(key);
    const other = await processWithKey(otherKey);
    try {
      expect(await assertSecretKeyMatches(same)).toBe('matched');
      await expect(assertSecretKeyMatches(other)).rejects.toMatchObject({ code: 'LMC_ERR_CONNECTION_SECRET_KEY_MISMATCH', message: expect.stringMatching(/LMC_SECRET_KEY cannot decrypt .*same key/) });
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('a database of an older version (no check value) is checked against a stored connection secret', async () => {
    const a = await createAccountWithToken(ctx);
    await createConnection(ctx, { accountId: a.account.id, userId: a.user.id }, { connectorId: 'engine-test', name: 'with a secret', settings: { dir: '/tmp', apiKey: 'k' } });
    await ctx.db.deleteFrom('installation_facts').execute();
    const other = await processWithKey(otherKey);
    try {
      await expect(assertSecretKeyMatches(other)).rejects.toMatchObject({ code: 'LMC_ERR_CONNECTION_SECRET_KEY_MISMATCH', message: expect.stringMatching(/secrets of connection \d+/) });
      expect(await ctx.db.selectFrom('installation_facts').selectAll().execute()).toEqual([]);
    } finally {
      await other.close();
    }
    expect(await assertSecretKeyMatches(ctx)).toBe('stored');
  });

  it('`lmc worker` with another key exits 2 (a fault of the installation, not of the command) with one coded sentence; with the same key it starts', async () => {
    const bad = await runLmc(ctx, ['worker'], { LMC_SECRET_KEY: otherKey });
    expect(bad.code).toBe(2);
    expect(bad.err.trim()).toMatch(/^error LMC_ERR_CONNECTION_SECRET_KEY_MISMATCH: .*LMC_SECRET_KEY.*docs\/operations\.md/);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    const good = spawnWorker(ctx.dbUrl, { LMC_SECRET_KEY: key });
    let out = '';
    good.stdout?.on('data', (d) => (out += String(d)));
    try {
      await until(async () => /worker \S+ started/.test(out), 'the worker to start', 60_000);
    } finally {
      good.kill('SIGTERM');
    }
  }, 120_000);
});
