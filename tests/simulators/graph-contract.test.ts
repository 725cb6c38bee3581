/**
 * The Graph simulator against Microsoft's published contract: its $metadata declares only user properties that
 * Microsoft's CSDL (simulators/graph/contract/user-csdl.xml, extracted from msgraph-metadata) has, with the
 * same types; and the parts the Entra ID connector relies on: "sync from now" ($deltatoken=latest) and a 403
 * for an app without a permission to read users.
 */
import fs from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore, oauth2ClientCredentials } from '../../src/kit/auth/index.ts';
import { createHttpClient, type HttpClient } from '../../src/kit/http/index.ts';
import { DEFAULT_GRAPH_APP, startGraphSimulator, type GraphSimulator } from '../../simulators/graph/server.ts';
import { metadataXml } from '../../simulators/graph/metadata.ts';

type Obj = Record<string, any>;
const LISTS = new Set(['Schema', 'EntityType', 'ComplexType', 'Property', 'NavigationProperty']);
const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: (n) => LISTS.has(n) }).parse(xml).Edmx.DataServices.Schema[0];
const typeOf = (schema: Obj, kind: 'EntityType' | 'ComplexType', name: string): Obj => schema[kind].find((t: Obj) => t.Name === name);
const props = (t: Obj): Record<string, string> => Object.fromEntries((t.Property ?? []).map((p: Obj) => [p.Name, p.Type]));

const contract = parse(fs.readFileSync(new URL('../../simulators/graph/contract/user-csdl.xml', import.meta.url), 'utf8'));

describe("the Graph simulator's $metadata against Microsoft's CSDL", () => {
  it('every user property it declares exists in the published user entity with the same type', () => {
    const sim = parse(metadataXml());
    const published = { ...props(typeOf(contract, 'EntityType', 'entity')), ...props(typeOf(contract, 'EntityType', 'directoryObject')), ...props(typeOf(contract, 'EntityType', 'user')) };
    const declared = props(typeOf(sim, 'EntityType', 'user'));
    expect(Object.keys(declared).length).toBeGreaterThan(10);
    for (const [name, type] of Object.entries(declared)) expect([name, published[name]]).toEqual([name, type]);
    expect(typeOf(sim, 'EntityType', 'user').BaseType).toBe(typeOf(contract, 'EntityType', 'user').BaseType);
    // The manager navigation property, as published.
    const nav = (t: Obj) => t.NavigationProperty.find((n: Obj) => n.Name === 'manager').Type;
    expect(nav(typeOf(sim, 'EntityType', 'user'))).toBe(nav(typeOf(contract, 'EntityType', 'user')));
  });

  it('the extension attributes are those of the published onPremisesExtensionAttributes', () => {
    const sim = props(typeOf(parse(metadataXml()), 'ComplexType', 'onPremisesExtensionAttributes'));
    expect(sim).toEqual(props(typeOf(contract, 'ComplexType', 'onPremisesExtensionAttributes')));
    expect(Object.keys(sim)).toHaveLength(15);
  });
});

describe('graph simulator: what the Entra ID connector relies on', () => {
  let sim: GraphSimulator;
  const auth = oauth2ClientCredentials({ tokenUrl: (c) => `${c.base}/${c.tenantId}/oauth2/v2.0/token`, scopes: ['https://graph.microsoft.com/.default'] });
  const client = (clientId: string, clientSecret: string): HttpClient =>
    createHttpClient({ baseUrl: `${sim.url}/v1.0`, auth: auth.open({ clientId, clientSecret }, { tokens: memoryTokenStore(), connection: { base: sim.url, tenantId: DEFAULT_GRAPH_APP.tenantId }, now: () => Date.now() }), retry: { baseMs: 10, retries: 1 } });
  const noRoles = { tenantId: DEFAULT_GRAPH_APP.tenantId, clientId: '99999999-bbbb-4ccc-8ddd-eeeeeeeeeeee', clientSecret: 'no-roles', roles: ['Mail.Read'] };
  beforeAll(async () => {
    sim = await startGraphSimulator({ users: 30, apps: [DEFAULT_GRAPH_APP, noRoles] });
  });
  afterAll(async () => sim?.close());

  it('$deltatoken=latest gives a deltaLink and no users; that link then returns only later changes', async () => {
    const c = client(DEFAULT_GRAPH_APP.clientId, DEFAULT_GRAPH_APP.clientSecret);
    const latest = await c.get<Obj>('/users/delta', { query: { $select: 'id,mail,manager', $deltatoken: 'latest' } });
    expect(latest.value).toEqual([]);
    expect(latest['@odata.nextLink']).toBeUndefined();
    const changed = sim.store.update(sim.store.all()[3].id, { department: 'Legal' });
    const next = (await c.request<Obj>({ url: latest['@odata.deltaLink'] })).data;
    expect(next.value.map((u: Obj) => u.id)).toEqual([changed.id]);
    expect(Object.keys(next.value[0]).sort()).toEqual(['id', 'mail', 'manager@delta']);
    await c.close();
  });

  it('an app without a permission to read users gets 403 Authorization_RequestDenied', async () => {
    const c = client(noRoles.clientId, noRoles.clientSecret);
    await expect(c.get('/users', { query: { $top: 1 } })).rejects.toMatchObject({ httpStatus: 403, vendorCode: 'Authorization_RequestDenied' });
    await c.close();
  });
});
