/**
 * The Salesforce simulator (simulators/salesforce) driven by jsforce, Salesforce's JavaScript client: the web
 * server flow with PKCE, refresh on INVALID_SESSION_ID, the JWT bearer flow, revoke; REST versions, limits,
 * describe, SOQL with queryMore and relationship fields, getDeleted; sObject collections upsert with
 * per-record errors; Bulk API 2.0 ingest (state machine, results CSVs) and query.
 */
import crypto from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../src/kit/auth/index.ts';
import { DEFAULT_SF_APP, startSalesforceSimulator, type SalesforceSimulator } from '../../simulators/salesforce/server.ts';

const REDIRECT = 'http://localhost:1717/OauthRedirect';
const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let sim: SalesforceSimulator;

beforeAll(async () => {
  sim = await startSalesforceSimulator({ users: 12, contacts: 30, queryPageSize: 7, redirectUris: [REDIRECT], publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), sessionSeconds: 600 });
});
afterAll(async () => sim?.close());

/** Signs in as an admin would: the authorize page, the redirect's code, the token exchange with the verifier. */
async function webServerLogin(): Promise<{ conn: Connection; oauth2: OAuth2 }> {
  const oauth2 = new OAuth2({ loginUrl: sim.url, clientId: DEFAULT_SF_APP.clientId, clientSecret: DEFAULT_SF_APP.clientSecret, redirectUri: REDIRECT, useVerifier: true });
  const page = await fetch(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 's1' }), { redirect: 'manual' });
  const back = new URL(page.headers.get('location')!);
  expect(back.searchParams.get('state')).toBe('s1');
  const conn = new Connection({ oauth2, version: '62.0' });
  await conn.authorize(back.searchParams.get('code')!);
  return { conn, oauth2 };
}

describe('Salesforce simulator, OAuth', () => {
  it('web server flow with PKCE: tokens, instance_url, no expires_in; refresh after INVALID_SESSION_ID', async () => {
    const { conn } = await webServerLogin();
    expect(conn.instanceUrl).toBe(sim.url);
    expect(conn.refreshToken).toBeTruthy();
    const before = conn.accessToken;
    sim.tokens.expireAll();
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    const r = await conn.query('SELECT Id FROM User LIMIT 1');
    expect(r.totalSize).toBe(1);
    expect(refreshed).toBe(1);
    expect(conn.accessToken).not.toBe(before);
  });

  it('refuses a code without its verifier, and an authorize request without a challenge', async () => {
    const noPkce = new OAuth2({ loginUrl: sim.url, clientId: DEFAULT_SF_APP.clientId, redirectUri: REDIRECT });
    const page = await fetch(noPkce.getAuthorizationUrl({}), { redirect: 'manual' });
    expect(new URL(page.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    const withPkce = new OAuth2({ loginUrl: sim.url, clientId: DEFAULT_SF_APP.clientId, redirectUri: REDIRECT, useVerifier: true });
    const code = new URL((await fetch(withPkce.getAuthorizationUrl({}), { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const res = await fetch(`${sim.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: DEFAULT_SF_APP.clientId, redirect_uri: REDIRECT, code_verifier: 'wrong'.repeat(10) }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('JWT bearer: a signed assertion for an active user gets a session; a wrong key or audience does not', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: DEFAULT_SF_APP.clientId, sub: sim.store.adminUsername, aud: sim.url, exp: now + 120 };
    const conn = new Connection({ loginUrl: sim.url, version: '62.0' });
    await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signJwt(privatePem, claims) });
    expect((await conn.query('SELECT Id FROM Contact LIMIT 2')).records).toHaveLength(2);
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const bad = async (assertion: string) => {
      const res = await fetch(`${sim.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }) });
      return { status: res.status, body: await res.json() };
    };
    expect(await bad(signJwt(other, claims))).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid assertion' } });
    expect((await bad(signJwt(privatePem, { ...claims, aud: 'https://elsewhere.example' }))).body.error_description).toBe('audience is invalid');
    expect((await bad(signJwt(privatePem, { ...claims, sub: 'nobody@example.com' }))).body.error_description).toBe("user hasn't approved this consumer");
  });

  it('revoking the refresh token ends its sessions: the next call is INVALID_SESSION_ID and a refresh is invalid_grant', async () => {
    const { conn, oauth2 } = await webServerLogin();
    await oauth2.revokeToken(conn.refreshToken!);
    const err: any = await conn.query('SELECT Id FROM User').catch((e: any) => e);
    // jsforce meets INVALID_SESSION_ID, tries its refresh token, and reports the refusal.
    expect(`${err.name}: ${err.message}`).toMatch(/Unable to refresh session.*expired access\/refresh token/);
  });
});

describe('Salesforce simulator, REST API', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = (await webServerLogin()).conn;
  });

  it('lists versions and limits, and counts calls against the daily allowance', async () => {
    const versions = (await conn.request('/services/data')) as unknown as Array<{ version: string; url: string }>;
    expect(versions.map((v) => v.version)).toContain('62.0');
    const limits = await conn.limits();
    expect(limits.DailyApiRequests.Max).toBe(100_000);
    expect(limits.DailyApiRequests.Remaining).toBeLessThan(100_000);
    const unknown: any = await conn.request('/services/data/v12.0/limits').catch((e: any) => e);
    expect(unknown.errorCode).toBe('NOT_FOUND');
  });

  it('describes User, Contact and custom objects: custom fields, relationship names, external ids', async () => {
    const contact = await conn.sobject('Contact').describe();
    const names = contact.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Email', 'ReportsToId', 'Partner_Level__c', 'Region__c']));
    expect(names).not.toContain('ManagerId');
    expect(contact.fields.find((f) => f.name === 'ReportsToId')).toMatchObject({ type: 'reference', relationshipName: 'ReportsTo', referenceTo: ['Contact'] });
    expect(contact.fields.find((f) => f.name === 'Partner_Level__c')).toMatchObject({ custom: true, type: 'picklist' });
    const user = await conn.sobject('User').describe();
    expect(user.fields.find((f) => f.name === 'ManagerId')).toMatchObject({ relationshipName: 'Manager' });
    const custom = await conn.sobject('Learning_Transcript__c').describe();
    expect(custom.custom).toBe(true);
    expect(custom.fields.find((f) => f.name === 'External_Id__c')).toMatchObject({ externalId: true, unique: true });
    const missing = await conn.sobject('Nope__c').describe().catch((e: any) => e);
    expect(missing.errorCode).toBe('NOT_FOUND');
  });

  it('runs SOQL with relationship fields, WHERE =, IN, AND, ORDER BY, LIMIT, and pages with queryMore', async () => {
    const first = await conn.query<Record<string, any>>('SELECT Id, Email, ReportsTo.Email, Partner_Level__c FROM Contact WHERE Partner_Level__c IN (\'Gold\', \'Silver\') AND Region__c = \'EMEA\' ORDER BY Email');
    const expected = sim.store.all('Contact').filter((c) => ['Gold', 'Silver'].includes(c.Partner_Level__c as string) && c.Region__c === 'EMEA');
    expect(first.totalSize).toBe(expected.length);
    expect(first.records).toHaveLength(7);
    expect(first.done).toBe(false);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g/);
    const all = [...first.records];
    let page = first;
    while (!page.done) {
      page = await conn.queryMore(page.nextRecordsUrl!);
      all.push(...page.records);
    }
    expect(all).toHaveLength(expected.length);
    const emails = all.map((r) => r.Email);
    expect(emails).toEqual([...emails].sort());
    const withBoss = all.find((r) => r.ReportsTo);
    expect(withBoss!.ReportsTo).toMatchObject({ attributes: { type: 'Contact' }, Email: expect.stringContaining('@partner.') });
    const tops = await conn.query<Record<string, any>>('SELECT Id, ReportsTo.Email FROM Contact WHERE ReportsToId = null');
    expect(tops.totalSize).toBe(3);
    expect(tops.records.every((r) => r.ReportsTo === null)).toBe(true);
    const users = await conn.query<Record<string, any>>('SELECT Id, Email, Manager.Email FROM User ORDER BY Email DESC LIMIT 3');
    expect(users.records).toHaveLength(3);
    expect(users.done).toBe(true);
  });

  it('groups with GROUP BY and COUNT(Id) into AggregateResult rows (expr0), and refuses a field neither grouped nor aggregated', async () => {
    const r = await conn.query<Record<string, any>>('SELECT Partner_Level__c, COUNT(Id) FROM Contact GROUP BY Partner_Level__c LIMIT 2000');
    const counts = new Map<string, number>();
    for (const c of sim.store.all('Contact')) counts.set(String(c.Partner_Level__c), (counts.get(String(c.Partner_Level__c)) ?? 0) + 1);
    expect(r.records.map((x) => [x.Partner_Level__c, x.expr0]).sort()).toEqual([...counts].sort());
    expect(r.records[0].attributes).toMatchObject({ type: 'AggregateResult' });
    const bad: any = await conn.query('SELECT Email, COUNT(Id) FROM Contact GROUP BY Partner_Level__c').catch((e: any) => e);
    expect(bad.errorCode).toBe('MALFORMED_QUERY');
    expect(bad.message).toContain('Field must be grouped or aggregated: Email');
  });

  it('filters on SystemModstamp > a datetime and reports deletions through getDeleted', async () => {
    const since = new Date();
    await new Promise((r) => setTimeout(r, 5));
    const c = sim.store.all('Contact')[3];
    sim.store.update('Contact', c.Id as string, { Title: 'Changed' });
    const gone = sim.store.all('Contact')[4].Id as string;
    sim.store.remove('Contact', gone);
    const changed = await conn.query<Record<string, any>>(`SELECT Id, Title FROM Contact WHERE SystemModstamp > ${since.toISOString()}`);
    expect(changed.records.map((r) => r.Id)).toEqual([c.Id]);
    const deleted = await conn.sobject('Contact').deleted(new Date(since.getTime() - 60_000), new Date(Date.now() + 60_000));
    expect(deleted.deletedRecords.map((d) => d.id)).toEqual([gone]);
  });

  it('answers MALFORMED_QUERY and INVALID_FIELD as Salesforce does', async () => {
    const bad: any = await conn.query('SELEC Id FROM Contact').catch((e: any) => e);
    expect(bad.errorCode).toBe('MALFORMED_QUERY');
    const field: any = await conn.query('SELECT Id, Nope__c FROM Contact').catch((e: any) => e);
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.message).toMatch(/No such column 'Nope__c' on entity 'Contact'/);
    const res = await fetch(`${sim.url}/services/data/v62.0/query?q=SELECT+Id+FROM+User`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('throttles with 403 REQUEST_LIMIT_EXCEEDED (no 429), and refuses every call once the daily allowance is spent', async () => {
    sim.faults.push({ kind: '429', pathContains: '/limits' });
    const res = await fetch(`${sim.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
    expect(res.status).toBe(403);
    expect((await res.json())[0].errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    const used = sim.apiUsage.used;
    const max = sim.apiUsage.max;
    sim.apiUsage.max = used;
    try {
      const refused = await fetch(`${sim.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    } finally {
      sim.apiUsage.max = max;
    }
  });
});

describe('Salesforce simulator, writes', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = (await webServerLogin()).conn;
  });

  it('upserts sObject collections by external id with per-record results', async () => {
    sim.store.addRule('Learning_Transcript__c', (r) => (r.Status__c === 'bogus' ? { message: 'Status must be a known status', field: 'Status__c' } : undefined));
    const user = sim.store.all('User')[1].Id as string;
    const rows = [
      { External_Id__c: 'e-1', Name: 'one', User__c: user, Status__c: 'completed', Progress__c: 100 },
      { External_Id__c: 'e-2', Name: 'two', User__c: '005000000000000AAA', Status__c: 'completed' },
      { External_Id__c: 'e-3', Name: 'three', Status__c: 'bogus' },
    ];
    const res = await conn.sobject('Learning_Transcript__c').upsert(rows, 'External_Id__c');
    expect(res.map((r) => r.success)).toEqual([true, false, false]);
    expect((res[1] as any).errors[0]).toMatchObject({ statusCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['User__c'] });
    expect((res[2] as any).errors[0]).toMatchObject({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Status must be a known status' });
    const again = await conn.sobject('Learning_Transcript__c').upsert([{ ...rows[0], Progress__c: 50 }, { External_Id__c: 'e-4', Name: 'four' }], 'External_Id__c');
    expect(again.map((r) => (r as any).created)).toEqual([false, true]);
    expect(sim.store.all('Learning_Transcript__c').filter((r) => r.External_Id__c === 'e-1')).toHaveLength(1);
  });

  it('runs a Bulk API 2.0 upsert job through its states and returns successful and failed results', async () => {
    const csv = ['External_Id__c,Name,Status__c,Progress__c', 'b-1,bulk one,completed,100', 'b-2,bulk two,bogus,10', 'b-3,bulk three,in_progress,abc', 'e-1,was e-1,completed,75'].join('\n');
    const job = conn.bulk2.createJob({ object: 'Learning_Transcript__c', operation: 'upsert', externalIdFieldName: 'External_Id__c' });
    await job.open();
    expect(job.getInfo().state).toBe('Open');
    await job.uploadData(csv);
    await job.close();
    await job.poll(20, 5000);
    const info = await job.check();
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 4, numberRecordsFailed: 2 });
    const ok = await job.getSuccessfulResults();
    expect(ok.map((r: any) => [r.External_Id__c, r.sf__Created])).toEqual([['b-1', 'true'], ['e-1', 'false']]);
    const failed = await job.getFailedResults();
    expect(failed.map((r: any) => r.External_Id__c)).toEqual(['b-2', 'b-3']);
    expect(failed[0].sf__Error).toMatch(/^FIELD_CUSTOM_VALIDATION_EXCEPTION:Status must be a known status/);
    expect(failed[1].sf__Error).toMatch(/^INVALID_TYPE_ON_FIELD_IN_RECORD:/);
  });

  it('fails a whole ingest job whose header names an unknown field', async () => {
    const job = conn.bulk2.createJob({ object: 'Learning_Transcript__c', operation: 'upsert', externalIdFieldName: 'External_Id__c' });
    await job.open();
    await job.uploadData('External_Id__c,Nope__c\nx-1,1\n');
    await job.close();
    const err = await job.poll(20, 5000).catch((e: any) => e);
    expect(String(err.message)).toMatch(/Field name not found : Nope__c/);
  });

  it('answers a Bulk API 2.0 query in CSV parts with relationship columns', async () => {
    const rows = await (await conn.bulk2.query('SELECT Id, Email, ReportsTo.Email FROM Contact ORDER BY Email', { pollInterval: 20, pollTimeout: 5000 })).toArray();
    expect(rows.length).toBe(sim.store.all('Contact').length);
    expect(rows.some((r) => r['ReportsTo.Email'])).toBe(true);
  });
});
