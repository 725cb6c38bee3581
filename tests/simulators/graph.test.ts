/**
 * The Microsoft Graph simulator (simulators/graph) driven by the kit's real client: kit/auth's client
 * credentials against its identity platform token endpoint, kit/http's client, kit/paging's 'link' strategy.
 */
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthErrors, memoryTokenStore, oauth2ClientCredentials } from '../../src/kit/auth/index.ts';
import { createHttpClient, type HttpClient } from '../../src/kit/http/index.ts';
import { pages, paginate } from '../../src/kit/paging/index.ts';
import { DEFAULT_GRAPH_APP, startGraphSimulator, type GraphSimOptions, type GraphSimulator } from '../../simulators/graph/server.ts';

const LINK = { kind: 'link', next: '@odata.nextLink', items: 'value' } as const;
const DELTA = { kind: 'link', next: '@odata.nextLink', items: 'value' } as const;
type Obj = Record<string, any>;

const graphAuth = oauth2ClientCredentials({ tokenUrl: (c) => `${c.base}/${c.tenantId}/oauth2/v2.0/token`, scopes: ['https://graph.microsoft.com/.default'] });

function client(sim: GraphSimulator, secret = DEFAULT_GRAPH_APP.clientSecret, tenantId = DEFAULT_GRAPH_APP.tenantId): HttpClient {
  const auth = graphAuth.open({ clientId: DEFAULT_GRAPH_APP.clientId, clientSecret: secret }, { tokens: memoryTokenStore(), connection: { base: sim.url, tenantId }, now: () => Date.now() });
  return createHttpClient({ baseUrl: `${sim.url}/v1.0`, auth, retry: { baseMs: 10 } });
}

async function all(c: HttpClient, query: Obj, headers?: Record<string, string>): Promise<{ items: Obj[]; pages: number; first: Obj }> {
  const items: Obj[] = [];
  let n = 0;
  let first: Obj = {};
  for await (const res of pages(c, { path: '/users', query, headers }, LINK)) {
    if (n++ === 0) first = res.data as Obj;
    items.push(...((res.data as Obj).value as Obj[]));
  }
  return { items, pages: n, first };
}

/** One delta round: every item, the number of pages, and the deltaLink of the last page. */
async function deltaRound(c: HttpClient, first: { path?: string; url?: string; query?: Obj }): Promise<{ items: Obj[]; pages: number; deltaLink: string }> {
  const items: Obj[] = [];
  let n = 0;
  let deltaLink = '';
  for await (const res of pages(c, first, DELTA)) {
    n++;
    items.push(...((res.data as Obj).value as Obj[]));
    deltaLink = (res.data as Obj)['@odata.deltaLink'] ?? deltaLink;
  }
  return { items, pages: n, deltaLink };
}

async function start(o: GraphSimOptions = {}) {
  return startGraphSimulator({ users: 2500, seed: 7, ...o });
}

describe('graph simulator: users list', () => {
  let sim: GraphSimulator;
  let c: HttpClient;
  beforeAll(async () => {
    sim = await start();
    c = client(sim);
  });
  afterAll(async () => {
    await c.close();
    await sim.close();
  });

  it('2,500 users with $top=999 come in 3 pages through @odata.nextLink (absolute, opaque $skiptoken)', async () => {
    const r = await all(c, { $top: 999 });
    expect(r.pages).toBe(3);
    expect(r.items).toHaveLength(2500);
    expect(new Set(r.items.map((u) => u.id)).size).toBe(2500);
    expect(r.first['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#users`);
    expect(r.first['@odata.nextLink']).toMatch(new RegExp(`^${sim.url}/v1\\.0/users\\?\\$skiptoken=[\\w-]+$`));
    // paginate (items only) reads the same users
    let count = 0;
    for await (const _u of paginate(c, { path: '/users', query: { $top: 999 } }, LINK)) count++;
    expect(count).toBe(2500);
    // default page size is 100
    expect((await c.get<Obj>('/users')).value).toHaveLength(100);
  });

  it('$select returns only the selected properties plus id; an unknown property is a 400 in the Graph envelope', async () => {
    const page = await c.get<Obj>('/users', { query: { $select: 'mail,employeeId,onPremisesExtensionAttributes', $top: 5 } });
    expect(Object.keys(page.value[0]).sort()).toEqual(['employeeId', 'id', 'mail', 'onPremisesExtensionAttributes']);
    expect(page.value[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.keys(page.value[0].onPremisesExtensionAttributes)).toHaveLength(15);
    expect(page['@odata.context']).toContain('#users(mail,employeeId,onPremisesExtensionAttributes)');
    const bad = await fetch(`${sim.url}/v1.0/users?$select=nope`, { headers: { authorization: `Bearer ${sim.tokens.issue(DEFAULT_GRAPH_APP.clientId).access_token}`, 'client-request-id': 'crid-1' } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as Obj;
    expect(body.error).toMatchObject({ code: 'Request_BadRequest', message: expect.stringContaining("'nope'"), innerError: { 'request-id': bad.headers.get('request-id'), 'client-request-id': 'crid-1' } });
    expect(bad.headers.get('client-request-id')).toBe('crid-1');
  });

  it('$top out of 1..999 and an unsupported $filter are 400; accountEnabled eq true filters; $count needs ConsistencyLevel: eventual', async () => {
    const tok = sim.tokens.issue(DEFAULT_GRAPH_APP.clientId).access_token;
    const get = (q: string, h: Record<string, string> = {}) => fetch(`${sim.url}/v1.0/users?${q}`, { headers: { authorization: `Bearer ${tok}`, ...h } });
    expect((await get('$top=1000')).status).toBe(400);
    expect((await get('$top=0')).status).toBe(400);
    const unsupported = await get(`$filter=${encodeURIComponent("startswith(displayName,'A')")}`);
    expect([unsupported.status, ((await unsupported.json()) as Obj).error.code]).toEqual([400, 'Request_UnsupportedQuery']);
    const enabled = await all(c, { $filter: 'accountEnabled eq true', $top: 999, $count: 'true', $select: 'accountEnabled' }, { ConsistencyLevel: 'eventual' });
    expect(enabled.items.every((u) => u.accountEnabled === true)).toBe(true);
    expect(enabled.items.length).toBeLessThan(2500);
    expect(enabled.first['@odata.count']).toBe(enabled.items.length);
    expect((await get('$count=true')).status).toBe(400);
  });

  it('$expand=manager($select=id,mail,userPrincipalName) gives each user its manager (a tree: one root)', async () => {
    const r = await all(c, { $top: 999, $select: 'id,displayName', $expand: 'manager($select=id,mail,userPrincipalName)' });
    const roots = r.items.filter((u) => u.manager === null);
    expect(roots).toHaveLength(1);
    const withManager = r.items.find((u) => u.manager)!;
    expect(Object.keys(withManager.manager).sort()).toEqual(['@odata.type', 'id', 'mail', 'userPrincipalName']);
    const ids = new Set(r.items.map((u) => u.id));
    expect(r.items.every((u) => u.manager === null || ids.has(u.manager.id))).toBe(true);
  });

  it('$metadata is CSDL naming microsoft.graph.user and the served properties with their Edm types', async () => {
    const res = await fetch(`${sim.url}/v1.0/$metadata`);
    expect(res.headers.get('content-type')).toContain('application/xml');
    const xml = await res.text();
    expect(xml).toContain('<EntityType Name="user" BaseType="graph.directoryObject"');
    for (const p of ['<Property Name="accountEnabled" Type="Edm.Boolean" />', '<Property Name="employeeId" Type="Edm.String" />', '<Property Name="onPremisesExtensionAttributes" Type="graph.onPremisesExtensionAttributes" />', '<Property Name="extensionAttribute15" Type="Edm.String" />', '<NavigationProperty Name="manager"']) expect(xml).toContain(p);
  });

  it('contract check: every property of every user answered is declared in $metadata with a matching type', async () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['EntityType', 'ComplexType', 'Property'].includes(n) }).parse(await (await fetch(`${sim.url}/v1.0/$metadata`)).text());
    const schema = doc['edmx:Edmx']['edmx:DataServices'].Schema;
    const propsOf = (list: Obj[], name: string) => Object.fromEntries((list.find((t) => t.Name === name)!.Property as Obj[]).map((p) => [p.Name, p.Type as string]));
    const user = { ...propsOf(schema.EntityType, 'entity'), ...propsOf(schema.EntityType, 'user') };
    const ext = propsOf(schema.ComplexType, 'onPremisesExtensionAttributes');
    const fits = (v: unknown, t: string): boolean =>
      t === 'Collection(Edm.String)' ? Array.isArray(v) && v.every((x) => typeof x === 'string')
      : t === 'Edm.Boolean' ? typeof v === 'boolean'
      : t === 'Edm.DateTimeOffset' ? v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)))
      : t === 'graph.onPremisesExtensionAttributes' ? typeof v === 'object' && v !== null && Object.entries(v).every(([k, x]) => ext[k] === 'Edm.String' && (x === null || typeof x === 'string'))
      : t === 'Edm.String' ? v === null || typeof v === 'string' : false;
    const everything = Object.keys(user).join(',');
    for (const query of [{ $top: 999 }, { $top: 999, $select: everything }]) {
      for (const u of (await all(c, query)).items) {
        for (const [k, v] of Object.entries(u)) expect({ k, fits: user[k] !== undefined && fits(v, user[k]) }).toEqual({ k, fits: true });
      }
    }
  });

  it('the same seed gives the same users', async () => {
    const again = await startGraphSimulator({ users: 2500, seed: 7 });
    try {
      expect(again.store.all().map((u) => u.id)).toEqual(sim.store.all().map((u) => u.id));
    } finally {
      await again.close();
    }
  });
});

describe('graph simulator: delta', () => {
  let sim: GraphSimulator;
  let c: HttpClient;
  beforeAll(async () => {
    sim = await start({ deltaPageSize: 1000 });
    c = client(sim);
  });
  afterAll(async () => {
    await c.close();
    await sim.close();
  });

  it('initial sync pages to a deltaLink; after add 2 / update 1 / delete 1 the next round returns exactly those 4', async () => {
    const first = await deltaRound(c, { path: '/users/delta', query: { $select: 'displayName,mail,jobTitle,manager' } });
    expect(first.pages).toBe(3);
    expect(first.items).toHaveLength(2500);
    expect(first.items.filter((u) => u['manager@delta']?.length === 1)).toHaveLength(2499);
    expect(first.deltaLink).toMatch(/\/v1\.0\/users\/delta\?\$deltatoken=[\w-]+$/);
    const [a, b, x] = sim.store.all();
    const added = [sim.store.add({ givenName: 'New', surname: 'One' }, a.id), sim.store.add({ givenName: 'New', surname: 'Two' }, a.id)];
    sim.store.update(b.id, { jobTitle: 'Chief Learning Officer' });
    sim.store.delete(x.id);
    const next = await deltaRound(c, { url: first.deltaLink });
    expect(next.items).toHaveLength(4);
    expect(next.items.find((u) => u.id === b.id)).toMatchObject({ jobTitle: 'Chief Learning Officer' });
    expect(next.items.filter((u) => added.some((n) => n.id === u.id))).toHaveLength(2);
    expect(next.items.find((u) => u.id === x.id)).toEqual({ id: x.id, '@removed': { reason: 'changed' } });
    // Nothing changed since: an empty round, with a new deltaLink.
    const quiet = await deltaRound(c, { url: next.deltaLink });
    expect(quiet.items).toEqual([]);
    expect(quiet.deltaLink).not.toBe(next.deltaLink);
  });

  it('an unknown $deltatoken is 410 syncStateNotFound with a Location to restart', async () => {
    const tok = sim.tokens.issue(DEFAULT_GRAPH_APP.clientId).access_token;
    const res = await fetch(`${sim.url}/v1.0/users/delta?$deltatoken=not-a-token`, { headers: { authorization: `Bearer ${tok}` } });
    expect(res.status).toBe(410);
    expect(((await res.json()) as Obj).error.code).toBe('syncStateNotFound');
    expect(res.headers.get('location')).toBe(`${sim.url}/v1.0/users/delta`);
  });
});

describe('graph simulator: identity platform token endpoint, throttling, faults', () => {
  let sim: GraphSimulator;
  beforeAll(async () => {
    sim = await start({ budget: { requests: 2, windowSeconds: 1 }, tokenTtlSeconds: 2 });
  });
  afterAll(() => sim.close());

  it('a wrong secret is invalid_client (AADSTS7000215) and kit/auth reports INVALID_CLIENT', async () => {
    const c = client(sim, 'wrong-secret');
    const err = await c.get('/users').catch((e: unknown) => e);
    expect(AuthErrors.INVALID_CLIENT.is(err)).toBe(true);
    await c.close();
    const res = await fetch(`${sim.url}/${DEFAULT_GRAPH_APP.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_GRAPH_APP.clientId, client_secret: 'wrong', scope: 'https://graph.microsoft.com/.default' }) });
    const body = (await res.json()) as Obj;
    expect(res.status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215], trace_id: expect.any(String), correlation_id: expect.any(String) });
    expect(body.error_description).toMatch(/^AADSTS7000215: /);
  });

  it('an unknown tenant is invalid_request AADSTS90002; a scope without /.default is invalid_scope', async () => {
    const post = (tenant: string, scope: string) => fetch(`${sim.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_GRAPH_APP.clientId, client_secret: DEFAULT_GRAPH_APP.clientSecret, scope }) });
    const t = await post('no-such-tenant', 'https://graph.microsoft.com/.default');
    expect([t.status, ((await t.json()) as Obj).error_codes]).toEqual([400, [90002]]);
    const s = await post(DEFAULT_GRAPH_APP.tenantId, 'User.Read.All');
    expect([s.status, ((await s.json()) as Obj).error]).toEqual([400, 'invalid_scope']);
    const ok = await post(DEFAULT_GRAPH_APP.tenantId, 'https://graph.microsoft.com/.default');
    expect(await ok.json()).toMatchObject({ token_type: 'Bearer', expires_in: 2, ext_expires_in: 2, access_token: expect.any(String) });
  });

  it('a request budget answers 429 TooManyRequests with Retry-After; the client waits and completes', async () => {
    const c = client(sim);
    await new Promise((r) => setTimeout(r, 1100)); // a fresh window
    const before = sim.throttled.count;
    const r = await all(c, { $top: 500, $select: 'id' });
    expect(r.items).toHaveLength(2500);
    expect(sim.throttled.count - before).toBeGreaterThanOrEqual(1);
    expect(c.counters.throttled).toBe(sim.throttled.count - before);
    const throttled = sim.log.entries.filter((e) => e.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    await c.close();
  });

  it('an injected 503 with Retry-After is retried; an expired token is renewed after the 401', async () => {
    const c = client(sim);
    await new Promise((r) => setTimeout(r, 1100));
    sim.faults.push({ kind: '503', retryAfterSeconds: 1, pathContains: '/v1.0/users' });
    expect((await c.get<Obj>('/users', { query: { $top: 3 } })).value).toHaveLength(3);
    expect(c.counters.retries).toBe(1);
    await new Promise((r) => setTimeout(r, 1100)); // a new budget window
    sim.faults.push({ kind: 'expire-token', pathContains: '/v1.0/users' });
    expect((await c.get<Obj>('/users', { query: { $top: 3 } })).value).toHaveLength(3);
    expect(c.counters.authRefreshes).toBe(1);
    expect(sim.log.entries.filter((e) => e.status === 401).length).toBeGreaterThanOrEqual(1);
    await c.close();
  });
});
