/**
 * Contract check of the Box simulator and of our Box client against Box's published OpenAPI document
 * (simulators/box/contract/box-openapi.json, from box/box-openapi): the kit's Box file source drives the
 * official SDK (box-node-sdk) through every call the Box connector makes, and every request the SDK sends and
 * every answer the simulator gives is validated with ajv against the document's schemas.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BoxSource, type BoxTarget } from '../../src/kit/file-sources/box.ts';
import { boxContract, DEFAULT_BOX_APP, startBoxSimulator, type BoxSimulator } from '../../simulators/box/server.ts';

let sim: BoxSimulator;
let rootFolderId: string;
const target = (o: Partial<BoxTarget> = {}): BoxTarget => ({
  clientId: DEFAULT_BOX_APP.clientId,
  clientSecret: DEFAULT_BOX_APP.clientSecret,
  enterpriseId: DEFAULT_BOX_APP.enterpriseId,
  rootFolderId,
  apiBaseUrl: sim.url,
  retryBaseSeconds: 0.01,
  ...o,
});
const text = async (r: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString();
};
const violations = () => sim.contract!.violations.map((v) => `${v.call} | ${v.where}: ${v.message}`);

beforeAll(async () => {
  // Small parts so that a chunked upload session takes a few parts of a small file.
  sim = await startBoxSimulator({ checkContract: true, partSize: 64 * 1024, minChunkedBytes: 1000 });
  rootFolderId = sim.store.addFolder('0', 'Learning Manager').id;
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => sim.contract!.reset());

describe('Box: our client and the simulator against Box OpenAPI contract', () => {
  it('every request of the SDK and every answer of the simulator conforms, through a whole file-drop session', async () => {
    const src = new BoxSource(target({ chunkedFromBytes: 100_000 }));
    expect(await src.describeRoot()).toBe('Learning Manager');
    await src.ensureDir('import/user/internal');
    await src.ensureDir('export');
    await src.write('export/skills.csv', 'a,b\n1,2\n');
    await src.write('export/skills.csv', 'a,b\n3,4\n'); // upload, delete the old one, rename
    expect((await src.list('export')).map((e) => e.name)).toEqual(['skills.csv']);
    expect(await text(await src.read('export/skills.csv'))).toBe('a,b\n3,4\n');
    const big = Buffer.alloc(200_000, 'abcdefghij');
    await src.write('export/big.csv', Readable.from([big])); // an upload session: create, 4 parts, commit
    expect(sim.store.byPath('export/big.csv', rootFolderId)!.content!.equals(big)).toBe(true);
    await src.remove('export/big.csv');
    await src.remove('export/skills.csv');

    // errors in Box's envelope: a 429 and a 500 retried, a name conflict
    sim.faults.push({ kind: '429', retryAfterSeconds: 0, pathContains: '/items' }, { kind: '500', pathContains: '/items' });
    expect(await src.list('export')).toEqual([]);
    await expect(src.client.folders.createFolder({ name: 'export', parent: { id: rootFolderId } })).rejects.toMatchObject({ responseInfo: { statusCode: 409 } });
    // a bad client secret: the token endpoint's OAuth error
    await expect(new BoxSource(target({ clientSecret: 'wrong' })).describeRoot()).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_BOX_AUTH_FAILED' });

    const seen = new Set(sim.calls.map((c) => `${c.method} ${c.path.replace(/\/[0-9A-F]{32}/, '/:session').replace(/(folders|files)\/\d+/, '$1/:id')} ${c.status}`));
    // the session went through every operation the connector uses
    for (const call of [
      'POST /oauth2/token 200',
      'POST /oauth2/token 400',
      'GET /2.0/folders/:id 200',
      'GET /2.0/folders/:id/items 200',
      'GET /2.0/folders/:id/items 429',
      'POST /2.0/folders 201',
      'POST /2.0/folders 409',
      'POST /api/2.0/files/content 201',
      'PUT /2.0/files/:id 200',
      'DELETE /2.0/files/:id 204',
      'GET /2.0/files/:id/content 302',
      'POST /api/2.0/files/upload_sessions 201',
      'PUT /api/2.0/files/upload_sessions/:session 200',
      'POST /api/2.0/files/upload_sessions/:session/commit 201',
    ])
      expect(seen).toContain(call);
    expect(sim.contract!.requests).toBeGreaterThan(20);
    expect(sim.contract!.responses).toBe(sim.contract!.requests);
    expect(violations()).toEqual([]);
    // where Box's servers and guide say otherwise than its document, the simulator follows Box, and says so
    expect(sim.contract!.tolerated.map((v) => `${v.call} ${v.where} ${String(v.value)}`).sort()).toEqual([
      expect.stringMatching(/^GET \/2\.0\/folders\/\d+\/items → 429 body \/code rate_limit_exceeded$/),
      'POST /2.0/folders → 409 body /code item_name_in_use',
    ]);
  });

  it('an expired token: the 401 and the renewal conform too', async () => {
    const src = new BoxSource(target());
    await src.list('export');
    sim.expireAllTokens();
    await src.list('export');
    expect(sim.calls.some((c) => c.status === 401)).toBe(true);
    expect(violations()).toEqual([]);
    // Box's real answer departs from its document there; the simulator follows Box, and says so
    expect(sim.contract!.tolerated.map((v) => `${v.call} | ${v.because}`)).toEqual([expect.stringMatching(/^GET \/2\.0\/folders\/\d+\/items → 401 \| Box answers an invalid or expired token with an empty 401/)]);
  });

  it('catches an answer that departs from the contract (wrong types, a missing required field, an undeclared value)', async () => {
    const src = new BoxSource(target());
    await src.list('export');
    sim.contract!.reset();
    sim.faults.push({ kind: 'answer', pathContains: '/items', body: { entries: [{ type: 'file', id: 42, name: 'a.csv' }, { name: 'no type' }], limit: 'all', next_marker: null } });
    await src.list('export').catch(() => undefined); // what the SDK makes of it does not matter here
    const v = sim.contract!.violations;
    expect(v.every((x) => x.direction === 'response' && x.operation === 'GET /folders/{folder_id}/items')).toBe(true);
    expect(v.map((x) => x.where)).toEqual(expect.arrayContaining(['body /entries/0/id', 'body /entries/1', 'body /limit']));
    expect(v.find((x) => x.where === 'body /limit')!.message).toBe('must be integer');
  });

  it('catches a request that departs from the contract (an undeclared parameter, a limit above the maximum, a body missing a required field)', async () => {
    const src = new BoxSource(target());
    await src.list('export'); // a token
    const token = await src.client.auth.retrieveToken();
    const auth = { authorization: `Bearer ${token.accessToken}` };
    await fetch(`${sim.url}/2.0/folders/${rootFolderId}/items?limit=5000&usemarker=yes&colour=blue`, { headers: auth });
    await fetch(`${sim.url}/2.0/folders`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    await fetch(`${sim.url}/2.0/collaborations`, { headers: auth });
    const got = violations();
    expect(got).toEqual(
      expect.arrayContaining([
        `GET /2.0/folders/${rootFolderId}/items | query limit: must be <= 1000`,
        `GET /2.0/folders/${rootFolderId}/items | query usemarker: must be boolean`,
        `GET /2.0/folders/${rootFolderId}/items | query colour: is not a parameter of this operation`,
        "POST /2.0/folders | body: must have required property 'parent'",
        'GET /2.0/collaborations | path: no operation of the contract serves this path',
      ]),
    );
  });

  it('the checker on its own: an undeclared status, an answer without its body, the media type', () => {
    const c = boxContract();
    expect(c.operations).toContain('POST /files/upload_sessions/{upload_session_id}/commit');
    const json = { 'content-type': 'application/json' };
    expect(c.checkResponse({ method: 'DELETE', path: '/2.0/files/5', status: 204, body: '' })).toEqual([]);
    expect(c.checkResponse({ method: 'DELETE', path: '/2.0/files/5', status: 200, headers: json, body: '{}' })).toEqual([]); // default: ClientError, nothing required
    expect(c.checkResponse({ method: 'POST', path: '/oauth2/token', status: 200, headers: json, body: JSON.stringify({ access_token: 't', token_type: 'mac' }) }).map((v) => v.where)).toEqual(['body /token_type']);
    expect(c.checkResponse({ method: 'GET', path: '/2.0/folders/0', status: 200, headers: json, body: '' }).map((v) => v.message)).toEqual(['200 declares a body (application/json), the answer has none']);
    expect(c.checkResponse({ method: 'GET', path: '/2.0/folders/0', status: 200, headers: { 'content-type': 'text/html' }, body: '<html>' }).map((v) => v.where)).toEqual(['content-type']);
    expect(c.checkRequest({ method: 'PATCH', path: '/2.0/folders/0' }).map((v) => v.where)).toEqual(['method']);
    expect(c.checkRequest({ method: 'PUT', path: '/api/2.0/files/upload_sessions/ABC', headers: { 'content-range': 'bytes 0-1/2', 'content-type': 'application/octet-stream' }, body: Buffer.from('ab') }).map((v) => `${v.where}: ${v.message}`)).toEqual(['header digest: is required and missing']);
  });
});
