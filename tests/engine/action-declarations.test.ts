/**
 * Issue 14: the web app, API and CLI choose screens and commands from what an action declares (`screens`,
 * `userImport`), not from its id. The connector listing carries the declarations (the shared actions attached
 * by capability carry theirs); Users > Import Log's query and `lmc import run` find the user import of a
 * connector whose action has an id no shell knows (tests/engine/declared-fixtures/people-test).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir, useTestEngineEnv, waitForStatus } from './helpers.ts';
useTestEngineEnv();
process.env.LMC_EXTRA_CONNECTOR_DIRS = [fixturesDir, path.join(import.meta.dirname, 'declared-fixtures')].join(':');
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { runLmc } from '../helpers/cli.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Api } from '../../src/api/types.ts';
import { startWorker, type WorkerHandle } from '../../src/engine/worker.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { withSharedActions } from '../../src/engine/registry.ts';
import { defineAction, defineConnector, type ActionDefinition } from '../../src/kit/define-connector.ts';
import crypto from 'node:crypto';
import { z } from 'zod';

// The CLI runs as its own process with the server's secret key.
const KEY = crypto.randomBytes(32).toString('base64');
let ctx: TestContext;
let app: Api;
let worker: WorkerHandle;
let admin: ReturnType<typeof apiClient>;
let accountId: number;

beforeAll(async () => {
  ctx = await createTestContext({ LMC_LOG_LEVEL: 'silent', LMC_SECRET_KEY: KEY });
  app = await buildApi(ctx);
  worker = await startWorker(ctx, { timings: engineTimings() });
  const a = await createAccountWithToken(ctx);
  admin = apiClient(app, a.token);
  accountId = a.account.id;
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await ctx?.destroy();
});

type Action = { id: string; screens: { mapping: string | null; filters: string | null; opensFirst: boolean }; userImport: boolean };
const actionsOf = async (connectorId: string): Promise<Action[]> => {
  const r = await admin.get(`/api/v1/connectors/${connectorId}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.data.actions;
};
const declared = (a: Action | undefined) => a && { screens: a.screens, userImport: a.userImport };

async function connect(connectorId: string, name: string): Promise<number> {
  const r = await admin.post('/api/v1/connections', { connectorId, name, settings: {} });
  expect(r.statusCode, r.body).toBe(201);
  return r.data.id;
}
async function runNow(connectionId: number, actionId: string) {
  const r = await admin.post('/api/v1/runs', { connectionId, actionId });
  expect(r.statusCode, r.body).toBe(202);
  return waitForStatus(ctx, accountId, r.data.id, ['completed', 'completed_with_errors', 'failed']);
}

describe('actions declare what the shells show', () => {
  it('the connector listing carries the declarations, also of the shared actions attached by capability', async () => {
    const drop = await actionsOf('local-directory');
    const byId = (list: Action[], id: string) => list.find((a) => a.id === id);
    const userImport = { screens: { mapping: 'user-import', filters: 'user-import', opensFirst: true }, userImport: true };
    expect(declared(byId(drop, 'import-users'))).toEqual(userImport);
    expect(declared(byId(drop, 'import-xapi'))).toEqual({ screens: { mapping: 'xapi-import', filters: 'xapi-import', opensFirst: false }, userImport: false });
    expect(declared(byId(drop, 'export-xapi'))).toEqual({ screens: { mapping: 'xapi-export', filters: null, opensFirst: false }, userImport: false });
    // An action that declares nothing gets the forms of its options.
    expect(declared(byId(drop, 'list-files'))).toEqual({ screens: { mapping: null, filters: null, opensFirst: false }, userImport: false });
    // A vendor that holds users (the `users` capability) gets the same user import, declared the same way.
    expect(declared(byId(await actionsOf('entra-id'), 'import-users'))).toEqual(userImport);
    expect(declared(byId(await actionsOf('people-test'), 'sync-people'))).toEqual({ screens: { mapping: null, filters: null, opensFirst: true }, userImport: true });
    // The whole list says the same.
    const all = (await admin.get('/api/v1/connectors')).data.connectors as Array<{ id: string; actions: Action[] }>;
    expect(declared(byId(all.find((c) => c.id === 'people-test')!.actions, 'sync-people'))?.userImport).toBe(true);
  });

  it('a connector offering two user imports, or two actions opened first, is refused when it loads', () => {
    const a = (id: string, more: Partial<ActionDefinition>) => defineAction({
      id, displayName: id, kind: 'import', description: id, options: z.object({}), scheduleUnits: ['days'], windowed: false, supportsDryRun: false, async run() {}, ...more,
    }) as ActionDefinition;
    const base = { displayName: 'X', description: 'x', category: 'hr' as const, settings: z.object({}), async testConnection() { return { ok: true, message: '' }; } };
    expect(() => defineConnector({ ...base, id: 'x', actions: [a('one', { userImport: true }), a('two', { userImport: true })] })).toThrow(/one and two both declare userImport/);
    expect(() => defineConnector({ ...base, id: 'x', actions: [a('one', { screens: { opensFirst: true } }), a('two', { screens: { opensFirst: true } })] })).toThrow(/both declare screens\.opensFirst/);
    // Its own user import beside the one its `users` capability brings.
    const users = { label: 'X', async fields() { return []; }, async read() { return { complete: true, items: (async function* () {})() }; } };
    expect(() => withSharedActions({ ...base, id: 'x', users, actions: [a('sync', { userImport: true })] })).toThrow(/sync and import-users both declare userImport/);
  });
});

describe('Users > Import Log and `lmc import run` find the user import by its declaration', () => {
  let people: number;
  let other: number;

  it("GET /api/v1/runs?userImport=true lists the runs of the actions declaring the user import, whatever their ids", async () => {
    people = await connect('people-test', 'People');
    other = await connect('no-users-test', 'Other');
    const imported = await runNow(people, 'sync-people');
    const notImport = await runNow(people, 'count-nothing');
    const elsewhere = await runNow(other, 'count-nothing');
    const r = await admin.get('/api/v1/runs?userImport=true&order=desc');
    expect(r.statusCode, r.body).toBe(200);
    const ids = r.data.runs.map((x: { id: number }) => x.id);
    expect(ids).toEqual([imported.id]);
    expect(ids).not.toContain(notImport.id);
    expect(ids).not.toContain(elsewhere.id);
    // Without the filter, every run.
    expect((await admin.get('/api/v1/runs')).data.runs).toHaveLength(3);
    expect((await admin.get('/api/v1/runs?userImport=yes')).statusCode).toBe(400);
  });

  it('`lmc import run` starts the action that declares the user import; a connection without one is refused with a code', async () => {
    const r = await runLmc(ctx, ['import', 'run', String(people), '--wait', '--json'], { LMC_SECRET_KEY: KEY });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ connectionId: people, actionId: 'sync-people', status: 'completed' });
    const none = await runLmc(ctx, ['import', 'run', String(other)], { LMC_SECRET_KEY: KEY });
    expect(none.code, none.err).toBe(1);
    expect(none.err.trim()).toMatch(/^error LMC_ERR_CONNECTOR_NO_USER_IMPORT: the connection's connector does not import users: No users \(test\)/);
  }, 120_000);
});
