import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { withDatabase } from '../../src/db/database.ts';
import { prepareDatabase } from '../../src/db/prepare.ts';
import { importPathSentence, inspectDatabaseRights } from '../../src/db/privileges.ts';
import { runLmc } from '../helpers/cli.ts';

// A fresh, empty database on the test server and a role that is not a superuser: what an operator's
// DATABASE_URL gives when a DBA created the database and the user for lmc.
const server = inject('pgServerUrl');
const tag = crypto.randomBytes(4).toString('hex');
const role = `lmc_limited_${tag}`;
const dbName = `rights_${tag}`;
const password = crypto.randomBytes(12).toString('hex');
let asRole: string;
let asSuper: string;

async function admin(sql: string, url = server): Promise<void> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`create role ${role} login password '${password}'`);
  await admin(`create database ${dbName}`);
  asSuper = withDatabase(server, dbName);
  const u = new URL(asSuper);
  u.username = role;
  u.password = password;
  asRole = u.toString();
});
afterAll(async () => {
  await admin(`drop database if exists ${dbName} with (force)`);
  await admin(`drop owned by ${role}`).catch(() => undefined);
  await admin(`drop role if exists ${role}`);
});

const rightsOf = async (url: string) => {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return await inspectDatabaseRights(c);
  } finally {
    await c.end();
  }
};

describe('database rights (issue 18.6)', () => {
  it('a user that may not create anything is refused before any migration, with the GRANTs to run', async () => {
    expect(await rightsOf(asRole)).toMatchObject({ user: role, superuser: false, createSchema: false, createInPublic: false, queueSchemaExists: false, fastInsert: false });
    await expect(prepareDatabase(asRole)).rejects.toMatchObject({
      code: 'LMC_ERR_DB_MISSING_PRIVILEGE',
      message: expect.stringContaining(`GRANT CREATE ON SCHEMA public TO ${role}`),
    });
    await expect(prepareDatabase(asRole)).rejects.toThrow(`GRANT CREATE ON DATABASE ${dbName} TO ${role}`);
    const c = new pg.Client(asSuper);
    await c.connect();
    const tables = await c.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
    await c.end();
    expect(tables.rows[0].n).toBe(0);
  });

  it('with the documented grants, `lmc migrate` lists the migrations it applied and says the plain import path; SET on session_replication_role gives the fast one', async () => {
    await admin(`grant create on database ${dbName} to ${role}`);
    await admin(`grant create on schema public to ${role}`, asSuper);
    const ctx = { dbUrl: asRole, config: { dataDir: `/tmp/lmc-rights-${tag}` } };
    const first = await runLmc(ctx, ['migrate']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const applied = /\((\d+) migration\(s\) applied now: ([^)]*)\)/.exec(first.out);
    expect(applied, first.out).not.toBeNull();
    expect(Number(applied![1])).toBeGreaterThanOrEqual(17);
    expect(applied![2]).toContain('0001-core');
    expect(applied![2]).toContain('0017-fleet');
    expect(first.out).toContain('user import: the plain insert path');
    expect(first.out).toContain(`GRANT SET ON PARAMETER session_replication_role TO ${role}`);

    const again = await runLmc(ctx, ['migrate']);
    expect(again.out).toContain('database is up to date (0 migration(s) applied now)');

    await admin(`grant set on parameter session_replication_role to ${role}`);
    const json = await runLmc(ctx, ['--json', 'migrate']);
    expect(JSON.parse(json.out)).toMatchObject({ applied: [], importPath: 'fast', rights: { superuser: false, fastInsert: true } });
    expect(importPathSentence(await rightsOf(asRole))).toContain(`${role} may SET session_replication_role`);
    expect(importPathSentence(await rightsOf(asSuper))).toMatch(/fast insert path .* is a superuser/);
  }, 180_000);
});
