/**
 * A SCIM Base URL is typed by an account's admin: the operator's rule for private addresses
 * (LMC_OUTBOUND_ALLOW_PRIVATE, refused by default) applies to it like to a Custom FTP host. The kit's HTTP
 * client checks it (allowPrivate, passed by the engine for every connection) before sending anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, buildApi, createAccountWithToken } from '../../helpers/api.ts';
import { createTestContext, type TestContext } from '../../helpers/test-context.ts';
import { createHttpClient } from '../../../src/kit/http/index.ts';
import { startMiniOrangeSimulator, type MiniOrangeSimulator } from '../../../simulators/miniorange/server.ts';

let sim: MiniOrangeSimulator;
beforeAll(async () => {
  sim = await startMiniOrangeSimulator({ users: 3 });
});
afterAll(async () => {
  await sim?.close();
});

describe('kit/http: the operator rule for private addresses', () => {
  it('refuses a loopback base URL before sending anything; an allowed range passes; no rule, no check', async () => {
    sim.log.reset();
    const refused = createHttpClient({ baseUrl: sim.scimBaseUrl, allowPrivate: false, retry: { retries: 0 } });
    const err = (await refused.get('/ServiceProviderConfig').catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'LMC_ERR_HTTP_TARGET_NOT_ALLOWED', status: 400, field: 'settings' });
    expect(err.message).toContain('127.0.0.1 is a private or local address');
    expect(sim.log.entries).toHaveLength(0);
    const allowed = createHttpClient({ baseUrl: sim.scimBaseUrl, allowPrivate: ['127.0.0.1/32'], headers: { authorization: `Bearer ${sim.token}` } });
    expect(await allowed.get('/ServiceProviderConfig')).toMatchObject({ filter: { supported: true } });
    const unchecked = createHttpClient({ baseUrl: sim.scimBaseUrl, headers: { authorization: `Bearer ${sim.token}` } });
    expect(await unchecked.get('/ServiceProviderConfig')).toMatchObject({ filter: { supported: true } });
    await Promise.all([refused.close(), allowed.close(), unchecked.close()]);
  });
});

describe('miniOrange connection on a hub that refuses private addresses', () => {
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApi>>;
  beforeAll(async () => {
    ctx = await createTestContext({ LMC_OUTBOUND_ALLOW_PRIVATE: 'false', LMC_LOG_LEVEL: 'silent' });
    app = await buildApi(ctx);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.destroy();
  });

  it('a SCIM Base URL on this machine is refused with a 400 naming the rule; nothing is sent or saved', async () => {
    const c = apiClient(app, (await createAccountWithToken(ctx)).token);
    sim.log.reset();
    const r = await c.post('/api/v1/connections', { connectorId: 'miniorange', name: 'miniOrange', settings: { scimBaseUrl: sim.scimBaseUrl, auth: { token: sim.token } } });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.data.error).toMatchObject({ code: 'LMC_ERR_HTTP_TARGET_NOT_ALLOWED' });
    expect(r.data.error.message).toMatch(/private or local network addresses/);
    expect(JSON.stringify(r.data)).not.toContain(sim.token);
    expect(sim.log.entries).toHaveLength(0);
    expect((await c.get('/api/v1/connections')).data.connections).toEqual([]);
  });
});
