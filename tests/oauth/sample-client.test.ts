import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import { createTraining } from '../../src/platform/trainings/trainings.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { accountWithPeople, authorize, listen, oauthClient } from './oauth-harness.ts';

// docs/examples/oauth-client.mjs, the sample client of docs/oauth-apps.md, run as a reader would run it.
const run = promisify(execFile);
const SAMPLE = path.resolve('docs/examples/oauth-client.mjs');
let ctx: TestContext;
let app: Api;
let base: string;
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  base = await listen(ctx, app);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-sample-client-'));
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('the sample OAuth client', () => {
  it("refreshes, keeps the rotated refresh token for its next run, and reads a learner's progress and recommendations", async () => {
    const acme = await accountWithPeople(ctx, base, 'Acme Sample');
    await createTraining(ctx.db, acme.account.id, { loId: 'c1', type: 'course', name: 'Negotiation basics' });
    const reg = await acme.admin.api.post('/api/v1/oauth-apps', { name: 'Salesforce', redirectUris: ['https://crm.example.test/cb'], scopes: ['admin:read', 'admin:write'] });
    await acme.admin.api.post(`/api/v1/oauth-apps/${reg.data.id}/approve`);
    const config = await oauthClient(base, reg.data.clientId, reg.data.clientSecret);
    const { tokens } = await authorize(config, acme.admin.api, 'https://crm.example.test/cb', 'admin:read,admin:write');
    const env = { ...process.env, LMC_URL: base, CLIENT_ID: reg.data.clientId, CLIENT_SECRET: reg.data.clientSecret, REFRESH_TOKEN: tokens.refresh_token! };

    const first = await run(process.execPath, [SAMPLE, acme.learner.user.email], { cwd: dir, env });
    expect(first.stdout).toContain('scope "admin:read admin:write"');
    expect(first.stdout).toContain('recommended: Negotiation basics (new in the catalog)');
    // The second run uses the refresh token the first one kept; the original one is spent.
    const second = await run(process.execPath, [SAMPLE, acme.learner.user.email], { cwd: dir, env });
    expect(second.stdout).toContain('progress:');
    await fs.rm(path.join(dir, '.lmc-refresh-token'));
    const spent = await run(process.execPath, [SAMPLE], { cwd: dir, env }).catch((e: { stderr: string }) => e);
    expect((spent as { stderr: string }).stderr).toContain('invalid_grant');
  });
});
