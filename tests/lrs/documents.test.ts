import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qs, startLrs, type LrsHarness } from './lrs-server.ts';

let h: LrsHarness;
beforeAll(async () => {
  h = await startLrs();
});
afterAll(async () => {
  await h?.close();
});

const agent = () => ({ objectType: 'Agent' as const, mbox: `mailto:${crypto.randomUUID()}@example.com` });
const activityId = () => `http://example.com/activities/${crypto.randomUUID()}`;

describe('xAPI document resources over HTTP', () => {
  it('round-trips state documents with @xapi/xapi: JSON merge on POST, ids list with since, delete all', async () => {
    const x = h.xapi('2.0.0');
    const a = agent();
    const act = activityId();
    const registration = crypto.randomUUID();
    await x.createState({ agent: a, activityId: act, stateId: 'bookmark', registration, state: { page: 3, nested: { a: 1 } } });
    await x.createState({ agent: a, activityId: act, stateId: 'bookmark', registration, state: { score: 7, nested: { b: 2 } } });
    const got = await x.getState({ agent: a, activityId: act, stateId: 'bookmark', registration });
    // merge is one level deep: "nested" is replaced, not merged
    expect(got.data).toEqual({ page: 3, score: 7, nested: { b: 2 } });
    expect(got.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(new Date(got.headers['last-modified']).getTime()).toBeGreaterThan(0);
    const before = new Date(Date.now() - 60_000).toISOString();
    await x.setState({ agent: a, activityId: act, stateId: 'notes', registration, state: 'plain text', contentType: 'text/plain' });
    expect((await x.getStates({ agent: a, activityId: act, registration, since: before })).data.sort()).toEqual(['bookmark', 'notes']);
    expect((await x.getStates({ agent: a, activityId: act, registration, since: new Date(Date.now() + 60_000).toISOString() })).data).toEqual([]);
    const text = await h.raw(`/activities/state${qs({ agent: a, activityId: act, stateId: 'notes', registration })}`);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toBe('plain text');
    // POST of JSON onto a non-JSON document is a 400 and changes nothing
    const clash = await h.raw(`/activities/state${qs({ agent: a, activityId: act, stateId: 'notes', registration })}`, { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
    expect(clash.status).toBe(400);
    await x.deleteStates({ agent: a, activityId: act, registration });
    expect((await x.getStates({ agent: a, activityId: act, registration })).data).toEqual([]);
  });

  it('enforces ETag preconditions: 412 on a stale If-Match or If-None-Match *, 409 on a blind PUT over a document', async () => {
    const x = h.xapi('2.0.0');
    const act = activityId();
    const url = `/activities/profile${qs({ activityId: act, profileId: 'settings' })}`;
    const put = (body: unknown, headers: Record<string, string> = {}) => h.raw(url, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
    expect((await put({ v: 1 }, { 'If-None-Match': '*' })).status).toBe(204);
    expect((await put({ v: 2 }, { 'If-None-Match': '*' })).status).toBe(412);
    const blind = await put({ v: 2 });
    expect(blind.status).toBe(409);
    expect((await blind.json()).error.code).toBe('LMC_ERR_LRS_DOCUMENT_CONFLICT');
    const etag = (await x.getActivityProfile({ activityId: act, profileId: 'settings' })).headers.etag as string;
    expect((await put({ v: 2 }, { 'If-Match': '"0000000000000000000000000000000000000000"' })).status).toBe(412);
    expect((await put({ v: 2 }, { 'If-Match': etag })).status).toBe(204);
    expect((await x.getActivityProfile({ activityId: act, profileId: 'settings' })).data).toEqual({ v: 2 });
    // the old ETag no longer matches: DELETE with it fails, and the document stays
    expect((await h.raw(url, { method: 'DELETE', headers: { 'If-Match': etag } })).status).toBe(412);
    expect((await h.raw(url)).status).toBe(200);
    // xAPI 2.0 protects state documents the same way; 1.0.3 lets a PUT overwrite state
    const a = agent();
    const st = `/activities/state${qs({ activityId: act, agent: a, stateId: 's' })}`;
    const putState = (version: string) => h.raw(st, { method: 'PUT', body: '{"x":1}', headers: { 'Content-Type': 'application/json' }, version });
    expect((await putState('2.0.0')).status).toBe(204);
    expect((await putState('2.0.0')).status).toBe(409);
    expect((await putState('1.0.3')).status).toBe(204);
  });

  it('lets exactly one of two concurrent writers with the same If-Match win', async () => {
    const act = activityId();
    const url = `/activities/profile${qs({ activityId: act, profileId: 'race' })}`;
    await h.raw(url, { method: 'PUT', body: '{"n":0}', headers: { 'Content-Type': 'application/json', 'If-None-Match': '*' } });
    const etag = (await h.raw(url)).headers.get('etag')!;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.raw(url, { method: 'PUT', body: JSON.stringify({ n: i + 1 }), headers: { 'Content-Type': 'application/json', 'If-Match': etag } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(5);
  });

  it('round-trips agent profiles and validates parameters', async () => {
    const x = h.xapi('2.0.0');
    const a = agent();
    await x.createAgentProfile({ agent: a, profileId: 'prefs', profile: { theme: 'dark' } });
    expect((await x.getAgentProfile({ agent: a, profileId: 'prefs' })).data).toEqual({ theme: 'dark' });
    expect((await x.getAgentProfiles({ agent: a })).data).toEqual(['prefs']);
    const etag = (await x.getAgentProfile({ agent: a, profileId: 'prefs' })).headers.etag as string;
    await x.deleteAgentProfile({ agent: a, profileId: 'prefs', etag });
    expect((await h.raw(`/agents/profile${qs({ agent: a, profileId: 'prefs' })}`)).status).toBe(404);
    const bad = await h.raw(`/agents/profile${qs({ agent: { mbox: 'not-mailto' }, profileId: 'p' })}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('agent.mbox');
    expect((await h.raw(`/activities/state${qs({ activityId: 'not an iri', agent: a, stateId: 's' })}`)).status).toBe(400);
    expect((await h.raw(`/activities/state${qs({ activityId: activityId(), agent: a, stateid: 's' })}`)).status).toBe(400);
    expect((await h.raw(`/activities/profile${qs({ activityId: activityId(), profileId: 'p' })}`, { method: 'POST', body: '[1,2]', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
  });
});
