/**
 * The Entra ID connector's pure parts: the mapping's fields from a CSDL document (Microsoft's published one,
 * vendored, and the simulator's), Graph users flattened to source values, Graph's error envelope classified.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsFromCsdl } from '../../../src/connectors/entra-id/csdl-fields.ts';
import { classifyGraph } from '../../../src/connectors/entra-id/graph-errors.ts';
import { entraSettings } from '../../../src/connectors/entra-id/settings.ts';
import { selectOf, toSourceUser } from '../../../src/connectors/entra-id/user-values.ts';
import { metadataXml } from '../../../simulators/graph/metadata.ts';

const published = fs.readFileSync(new URL('../../../simulators/graph/contract/user-csdl.xml', import.meta.url), 'utf8');

describe('fields from $metadata', () => {
  it("lists Microsoft's user properties with their types, complex ones flattened, extension attributes 1..15 in order, the manager's email", () => {
    const fields = fieldsFromCsdl(published);
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('id')).toMatchObject({ type: 'string' });
    expect(byName.get('mail')).toMatchObject({ type: 'email', label: 'Mail' });
    expect(byName.get('accountEnabled')).toMatchObject({ type: 'boolean' });
    expect(byName.get('employeeHireDate')).toMatchObject({ type: 'date' });
    expect(byName.get('jobTitle')).toMatchObject({ type: 'string', label: 'Job title' });
    expect(byName.get('businessPhones')).toMatchObject({ type: 'string' });
    expect(byName.get('employeeOrgData.costCenter')).toMatchObject({ type: 'string', label: 'Employee org data: cost center' });
    expect(byName.get('manager.mail')).toMatchObject({ type: 'email' });
    // Lists of objects and objects without text values are not offered.
    expect(byName.has('assignedLicenses')).toBe(false);
    expect(byName.has('passwordProfile')).toBe(false);
    const ext = fields.filter((f) => f.name.startsWith('onPremisesExtensionAttributes.')).map((f) => f.name.split('.')[1]);
    expect(ext).toEqual(Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`));
    expect(byName.get('onPremisesExtensionAttributes.extensionAttribute1')?.label).toBe('On premises extension attributes: extension attribute 1');
  });

  it("the simulator's $metadata gives the fields it serves", () => {
    const names = fieldsFromCsdl(metadataXml()).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['id', 'mail', 'displayName', 'department', 'onPremisesExtensionAttributes.extensionAttribute15', 'manager.mail']));
  });

  it('a document without the user entity is an error, not an empty list', () => {
    expect(() => fieldsFromCsdl('<edmx:Edmx xmlns:edmx="x"><edmx:DataServices><Schema Namespace="microsoft.graph"/></edmx:DataServices></edmx:Edmx>')).toThrow(/no user entity/);
  });
});

describe('Graph users as source records', () => {
  it('selects the top-level properties the fields need (manager.* through $expand)', () => {
    expect(selectOf(['mail', 'onPremisesExtensionAttributes.extensionAttribute1', 'onPremisesExtensionAttributes.extensionAttribute2', 'manager.mail'])).toEqual(['id', 'mail', 'onPremisesExtensionAttributes']);
  });

  it('flattens nested values and lists; absent stays undefined (delta sends changes only), null stays null', () => {
    const u = toSourceUser(
      { id: 'u1', mail: 'a@x.test', businessPhones: ['+1 1', '+1 2'], onPremisesExtensionAttributes: { extensionAttribute1: 'CC-1', extensionAttribute2: null }, manager: { id: 'm1', mail: 'm@x.test' }, jobTitle: null },
      ['mail', 'businessPhones', 'onPremisesExtensionAttributes.extensionAttribute1', 'onPremisesExtensionAttributes.extensionAttribute2', 'manager.mail', 'jobTitle', 'department'],
    );
    expect(u).toEqual({
      id: 'u1',
      values: { mail: 'a@x.test', businessPhones: '+1 1; +1 2', 'onPremisesExtensionAttributes.extensionAttribute1': 'CC-1', 'onPremisesExtensionAttributes.extensionAttribute2': null, 'manager.mail': 'm@x.test', jobTitle: null, department: undefined },
    });
  });

  it("takes the manager's id from a delta's manager@delta link", () => {
    expect(toSourceUser({ id: 'u1', 'manager@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'm1' }] }, []).managerId).toBe('m1');
    expect(toSourceUser({ id: 'u1', 'manager@delta': [] }, []).managerId).toBeNull();
    expect(toSourceUser({ id: 'u1' }, []).managerId).toBeUndefined();
  });
});

describe("Graph's error envelope", () => {
  const res = (status: number, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers), method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' });
  const env = (code: string, rid = 'r-1') => ({ error: { code, message: `${code} happened`, innerError: { 'request-id': rid } } });
  it('429 and throttling codes slow down; 503/504 retry; 401 refreshes; other 4xx are final', () => {
    expect(classifyGraph(res(429, { 'request-id': 'r-1' }), env('TooManyRequests'))).toMatchObject({ outcome: 'rate-limited', vendorCode: 'TooManyRequests' });
    expect(classifyGraph(res(503), env('serviceNotAvailable'))).toMatchObject({ outcome: 'retry', vendorCode: 'serviceNotAvailable' });
    expect(classifyGraph(res(401), env('InvalidAuthenticationToken'))).toMatchObject({ outcome: 'auth-expired' });
    expect(classifyGraph(res(403), env('Authorization_RequestDenied'))).toMatchObject({ outcome: 'fatal', vendorCode: 'Authorization_RequestDenied' });
    expect(classifyGraph(res(200), { value: [] })).toBeUndefined();
  });
  it("keeps Graph's request-id in the message when the header is missing", () => {
    expect((classifyGraph(res(400), env('Request_BadRequest', 'abc-123')) as { message?: string }).message).toBe('Request_BadRequest happened (request-id abc-123)');
    expect((classifyGraph(res(400, { 'request-id': 'abc-123' }), env('Request_BadRequest', 'abc-123')) as { message?: string }).message).toBe('Request_BadRequest happened');
  });
});

describe('connection settings', () => {
  const ok = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', auth: { clientId: 'c', clientSecret: 's' } };
  it('takes a tenant id or a primary domain, and https addresses (http only for this machine)', () => {
    expect(entraSettings.safeParse(ok).success).toBe(true);
    expect(entraSettings.safeParse({ ...ok, tenantId: 'contoso.onmicrosoft.com' }).success).toBe(true);
    expect(entraSettings.safeParse({ ...ok, graphBaseUrl: 'http://127.0.0.1:9000/v1.0', loginBaseUrl: 'https://login.microsoftonline.us' }).success).toBe(true);
    const bad = entraSettings.safeParse({ ...ok, tenantId: 'not a tenant', graphBaseUrl: 'http://graph.example.com/v1.0' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['tenantId', expect.stringMatching(/Directory \(tenant\) ID/)],
      ['graphBaseUrl', expect.stringMatching(/must start with https:\/\//)],
    ]);
  });
});

describe('connection test: addresses an admin typed', () => {
  it('refuses a Graph or sign-in address on a private network unless the operator allows it', async () => {
    const { testEntraConnection } = await import('../../../src/connectors/entra-id/test-connection.ts');
    const env = { drops: { outboundAllowPrivate: false }, http: () => { throw new Error('must not call Graph'); } } as never;
    const s = { tenantId: 'contoso.onmicrosoft.com', auth: { clientId: 'c', clientSecret: 's' }, graphBaseUrl: 'http://127.0.0.1:9/v1.0' };
    expect(await testEntraConnection(s, env)).toEqual({ ok: false, message: 'Microsoft Graph address: 127.0.0.1 is on a private or local network, which this server does not allow connections to reach.' });
    expect(await testEntraConnection({ ...s, graphBaseUrl: undefined, loginBaseUrl: 'https://10.1.2.3' }, env)).toMatchObject({ ok: false, message: expect.stringMatching(/^Sign-in address: 10\.1\.2\.3/) });
  });
});
