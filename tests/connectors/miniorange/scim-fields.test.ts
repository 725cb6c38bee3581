/**
 * The miniOrange SCIM simulator driven by the connector's own parts and the kit's real client (bearer auth,
 * paging, the SCIM error classifier): the mapping page's fields from /Schemas (custom attributes included, and
 * RFC 7643's when discovery is not served), paging when the server returns less than asked, filters, errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, memoryTokenStore } from '../../../src/kit/auth/index.ts';
import { createHttpClient, type HttpClient } from '../../../src/kit/http/index.ts';
import { HttpError } from '../../../src/kit/http/http-error.ts';
import { parseFieldPath, readField } from '../../../src/connectors/miniorange/field-paths.ts';
import { scimClassifier, userPages } from '../../../src/connectors/miniorange/scim-client.ts';
import { userFields } from '../../../src/connectors/miniorange/schema-fields.ts';
import { startMiniOrangeSimulator, type MiniOrangeSimulator } from '../../../simulators/miniorange/server.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:miniorange:params:scim:schemas:extension:CustomAttributes:2.0:User';

function client(sim: MiniOrangeSimulator, token = sim.token): HttpClient {
  const auth = bearerAuth.open({ token }, { tokens: memoryTokenStore(), connection: {}, now: () => Date.now() });
  return createHttpClient({ baseUrl: sim.scimBaseUrl, auth, classify: scimClassifier, retry: { baseMs: 10, maxMs: 100 } });
}

async function readAll(c: HttpClient, o: Parameters<typeof userPages>[1] = {}) {
  const ids: string[] = [];
  let pages = 0;
  for await (const p of userPages(c, o)) {
    pages++;
    ids.push(...(p.data.Resources ?? []).map((r) => String(r.id)));
  }
  return { ids, pages };
}

describe('miniOrange SCIM simulator and the connector parts', () => {
  let sim: MiniOrangeSimulator;
  let c: HttpClient;
  beforeAll(async () => {
    sim = await startMiniOrangeSimulator({ users: 95, maxResults: 40 });
    c = client(sim);
  });
  afterAll(async () => {
    await c.close();
    await sim.close();
  });

  it('offers the SCIM attributes as flattened fields, custom attributes and the manager id included', async () => {
    const fields = await userFields(c);
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('userName')?.type).toBe('string');
    expect(byName.get('name.formatted')?.label).toBe('Name: formatted');
    expect(byName.get('emails[primary].value')).toMatchObject({ type: 'email', label: 'Emails (primary)' });
    expect(byName.get('emails[type eq "work"].value')?.type).toBe('email');
    expect(byName.get('addresses[type eq "work"].locality')?.label).toBe('Addresses (work): locality');
    expect(byName.get('active')?.type).toBe('boolean');
    expect(byName.get(`${ENT}:department`)?.label).toBe('Enterprise user: Department');
    expect(byName.has(`${ENT}:manager.value`)).toBe(true);
    expect(byName.get(`${CUSTOM}:badgeNumber`)?.label).toBe('Custom attributes: Badge number');
    expect(byName.get(`${CUSTOM}:contractor`)?.type).toBe('boolean');
    expect(byName.get(`${CUSTOM}:hireDate`)?.type).toBe('date');
    expect(byName.has('meta.lastModified')).toBe(true);
    expect(byName.get('lmc:manager-by-id')?.label).toMatch(/Manager \(linked by/);
    // Never offered: a write-only secret, references, a list without types.
    expect([...byName.keys()].filter((n) => /password|\$ref|^groups/.test(n))).toEqual([]);
  });

  it('an endpoint without /Schemas gets the attributes of RFC 7643 (core and enterprise)', async () => {
    const bare = await startMiniOrangeSimulator({ users: 3, discovery: false });
    const bc = client(bare);
    try {
      const names = (await userFields(bc)).map((f) => f.name);
      expect(names).toEqual(expect.arrayContaining(['userName', 'name.givenName', 'emails[primary].value', `${ENT}:manager.value`, `${ENT}:costCenter`]));
      expect(names.some((n) => n.startsWith(CUSTOM))).toBe(false);
    } finally {
      await bc.close();
      await bare.close();
    }
  });

  it('reads every user when the server returns fewer per page than asked (startIndex follows itemsPerPage)', async () => {
    const { ids, pages } = await readAll(c, { count: 100 });
    expect(pages).toBe(3); // 40 + 40 + 15
    expect(new Set(ids).size).toBe(95);
  });

  it('filters on meta.lastModified; a filter it cannot take is a SCIM invalidFilter error', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const changed = sim.store.all().slice(10, 13).map((u) => sim.store.update(u.id, (x) => (x.title = 'Lead')).id);
    const { ids } = await readAll(c, { filter: `meta.lastModified gt "${since}"` });
    expect(ids.sort()).toEqual(changed.sort());
    const err = await readAll(c, { filter: 'title eq "Lead" or active eq true' }).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ httpStatus: 400, vendorCode: 'invalidFilter', code: 'LMC_ERR_HTTP_CLIENT' });
    expect(err.message).toContain('does not support');
  });

  it('follows RFC 7644 list semantics: startIndex below 1, count 0, attributes, an unknown id', async () => {
    const h = { authorization: `Bearer ${sim.token}` };
    const get = async (q: string) => {
      const r = await fetch(`${sim.scimBaseUrl}${q}`, { headers: h });
      return { status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as Record<string, any> };
    };
    const zero = await get('/Users?startIndex=0&count=0');
    expect(zero.type).toContain('application/scim+json');
    expect(zero.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: sim.store.size, itemsPerPage: 0, startIndex: 1, Resources: [] });
    const some = await get(`/Users?count=1&attributes=userName,${ENT}:manager`);
    expect(Object.keys(some.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']); // the first user has no manager
    const second = await get(`/Users?startIndex=2&count=1&attributes=${ENT}:manager`);
    expect(second.body.Resources[0][ENT]).toEqual({ manager: expect.objectContaining({ value: sim.store.all()[0].id }) });
    const missing = await get('/Users/nobody');
    expect(missing).toMatchObject({ status: 404, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' } });
  });

  it('a wrong bearer token is a 401 in the SCIM error envelope', async () => {
    const bad = client(sim, 'not-the-token');
    const err = (await bad.get('/Users').catch((e: unknown) => e)) as Error;
    await bad.close();
    expect(err).toMatchObject({ httpStatus: 401, code: 'LMC_ERR_HTTP_AUTH' });
    expect(err.message).not.toContain('not-the-token');
  });

  it('reads values by field path: primary or first entry, by type, extension attributes', () => {
    const u = {
      id: 'u1', userName: 'a@x.test', name: { formatted: 'A B' },
      emails: [{ value: 'home@x.test', type: 'home' }, { value: 'work@x.test', type: 'work', primary: true }],
      phoneNumbers: [{ value: '+1', type: 'mobile' }],
      [ENT]: { department: 'R&D', manager: { value: 'm1' } },
      [CUSTOM]: { contractor: true },
    };
    const v = (name: string) => readField(u, parseFieldPath(name)!);
    expect(v('emails[primary].value')).toBe('work@x.test');
    expect(v('emails[type eq "home"].value')).toBe('home@x.test');
    expect(v('emails[type eq "other"].value')).toBeUndefined();
    expect(v('phoneNumbers[primary].value')).toBe('+1'); // no primary: the first
    expect(v('name.formatted')).toBe('A B');
    expect(v('NAME.Formatted')).toBe('A B'); // attribute names are case-insensitive
    expect(v(`${ENT}:manager.value`)).toBe('m1');
    expect(v(`${CUSTOM}:contractor`)).toBe(true);
    expect(v('name')).toBeUndefined(); // an object is no value
    expect(parseFieldPath('emails[type ne "x"].value')).toBeUndefined();
  });
});
