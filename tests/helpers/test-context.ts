import crypto from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { inject } from 'vitest';
import { openAppContext, type AppContext } from '../../src/app-context.ts';
import { loadConfig } from '../../src/config.ts';
import { withDatabase } from '../../src/db/database.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';

/**
 * A fresh database copied from the migrated template, for one test file (or one test). Nothing is shared
 * between files, so they can run in parallel.
 *
 * @example const t = await createTestDatabase(); ...; await t.drop();
 */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const server = inject('pgServerUrl');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const c = new pg.Client(server);
  await c.connect();
  // CREATE DATABASE ... TEMPLATE fails while another session copies the same template: retry briefly.
  for (let i = 0; ; i++) {
    try {
      await c.query(`create database ${name} template ${inject('pgTemplate')}`);
      break;
    } catch (e) {
      if (i > 50 || !String((e as Error).message).includes('being accessed')) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await c.end();
  return {
    url: withDatabase(server, name),
    name,
    drop: async () => {
      const d = new pg.Client(server);
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

export interface TestContext extends AppContext {
  /** Drops the database after closing the context. */
  destroy(): Promise<void>;
}

/**
 * What the test machine's operator allows, unlike a fresh install: local-directory drops in temporary
 * folders (the product allows only <dataDir>/drops/<account> by default), and connections to the local
 * OpenSSH on loopback (the product refuses private and loopback addresses by default). Tests of those
 * defaults pass their own values (tests/security/*).
 */
export const TEST_OPERATOR_ENV = { LMC_LOCAL_DROP_ROOTS: os.tmpdir(), LMC_OUTBOUND_ALLOW_PRIVATE: 'true' };

/**
 * An AppContext on a fresh test database. Pass config overrides as environment variables; a test that asserts
 * absolute instants (schedules, windows) pins the app clock with `{ clock: clockStartingAt(...) }`.
 */
export async function createTestContext(env: Record<string, string> = {}, opts: { clock?: Clock } = {}): Promise<TestContext> {
  const dbInfo = await createTestDatabase();
  const config = loadConfig({ ...TEST_OPERATOR_ENV, LMC_DATA_DIR: `/tmp/lmc-test-data-${dbInfo.name}`, LMC_SECRET_KEY: crypto.randomBytes(32).toString('base64'), ...env });
  const ctx = await openAppContext({ config, dbUrl: dbInfo.url, log: createLogger(process.env.LMC_TEST_LOG ?? 'silent'), clock: opts.clock });
  return Object.assign(ctx, {
    destroy: async () => {
      await ctx.close();
      await dbInfo.drop();
    },
  });
}
