/**
 * The simulator kit's contract check on a small OpenAPI document of its own (what a new vendor's simulator
 * would vendor): servers with base paths, $ref, nullable, coerced parameters, form and multipart bodies,
 * 2XX and default answers, and the fastify hook with a declared tolerance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractLog, createSimApp, OpenApiContract, type ContractLog } from '../../simulators/kit/index.ts';
import { pruneOpenApi } from '../../simulators/kit/openapi-prune.ts';

const doc = {
  openapi: '3.0.3',
  info: { title: 'Vendor', version: '1' },
  servers: [{ url: 'https://api.vendor.test/v2' }],
  paths: {
    '/people': {
      get: {
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'active', in: 'query', schema: { type: 'boolean' } },
          { name: 'fields', in: 'query', schema: { type: 'array', items: { type: 'string', enum: ['id', 'name', 'mail'] } } },
        ],
        responses: { '2XX': { content: { 'application/json': { schema: { $ref: '#/components/schemas/People' } } } }, default: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      },
    },
    '/people/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } }],
      get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } }, '404': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } },
      delete: { responses: { '204': { description: 'gone' } } },
    },
    '/people/me': { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } } } } },
    '/token': {
      post: {
        servers: [{ url: 'https://login.vendor.test' }],
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['grant_type'], properties: { grant_type: { type: 'string', enum: ['client_credentials'] }, ttl: { type: 'integer' } } } } } },
        responses: { '200': { content: { 'application/json': { schema: { type: 'object', required: ['access_token'], properties: { access_token: { type: 'string' } } } } } } },
      },
    },
    '/files': {
      post: {
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['meta', 'file'], properties: { meta: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, file: { type: 'string', format: 'binary' } } } } } },
        responses: { '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Person: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' }, mail: { type: 'string', format: 'email', nullable: true }, manager: { allOf: [{ $ref: '#/components/schemas/Person' }], nullable: true } }, example: { $id: 'examples are not schemas' } },
      People: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Person' } }, next: { type: 'string', nullable: true } } },
      Error: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
      Unused: { type: 'object' },
    },
  },
};

const c = new OpenApiContract(doc);
const json = { 'content-type': 'application/json; charset=utf-8' };
const where = (vs: Array<{ where: string; message: string }>) => vs.map((v) => `${v.where}: ${v.message}`);

describe('OpenApiContract', () => {
  it('finds operations below their servers, literal paths before templates', () => {
    expect(c.match('GET', '/v2/people/me')?.operation.key).toBe('GET /people/me');
    expect(c.match('GET', '/v2/people/42')).toMatchObject({ operation: { key: 'GET /people/{id}' }, params: { id: '42' } });
    expect(c.match('POST', '/token')?.operation.key).toBe('POST /token'); // its own server, at the host's root
    expect(c.match('POST', '/v2/token')).toBeUndefined();
    expect(c.match('GET', '/people')).toBeUndefined(); // outside /v2
  });

  it('checks parameters as text coerced to their types', () => {
    expect(c.checkRequest({ method: 'GET', path: '/v2/people', query: new URLSearchParams('limit=10&active=true&fields=id,name') })).toEqual([]);
    expect(where(c.checkRequest({ method: 'GET', path: '/v2/people', query: { limit: '0', active: '1', fields: 'id,phone', top: '5' } }))).toEqual([
      'query limit: must be >= 1',
      'query active: must be boolean',
      'query fields /1: must be equal to one of the allowed values: "id", "name", "mail"',
      'query top: is not a parameter of this operation',
    ]);
    expect(where(c.checkRequest({ method: 'GET', path: '/v2/people/abc' }))).toEqual(['path id: must match pattern "^[0-9]+$"']);
  });

  it('checks form and multipart bodies (JSON parts parsed) and refuses a body where none is taken', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(c.checkRequest({ method: 'POST', path: '/token', headers: form, body: { grant_type: 'client_credentials', ttl: '60' } })).toEqual([]);
    expect(where(c.checkRequest({ method: 'POST', path: '/token', headers: form, body: 'grant_type=password&ttl=soon' }))).toEqual([
      'body /grant_type: must be equal to one of the allowed values: "client_credentials"',
      'body /ttl: must be integer',
    ]);
    expect(where(c.checkRequest({ method: 'POST', path: '/token', headers: json, body: {} }))).toEqual(['body: content type application/json is not one of application/x-www-form-urlencoded']);
    const multipart = (meta: string) => ({
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: Buffer.from(`--XyZ\r\nContent-Disposition: form-data; name="meta"\r\n\r\n${meta}\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na,b\r\n--XyZ--\r\n`),
    });
    expect(c.checkRequest({ method: 'POST', path: '/v2/files', ...multipart('{"name":"a.csv"}') })).toEqual([]);
    expect(where(c.checkRequest({ method: 'POST', path: '/v2/files', ...multipart('{"title":"a.csv"}') }))).toEqual(["body /meta: must have required property 'name'"]);
    expect(where(c.checkRequest({ method: 'POST', path: '/v2/files', ...multipart('not json') }))).toEqual(['body: the part meta is not JSON', "body: must have required property 'meta'"]);
    expect(where(c.checkRequest({ method: 'DELETE', path: '/v2/people/1', headers: json, body: '{"why":1}' }))).toEqual(['body: this operation takes no body']);
  });

  it('checks answers: nullable, recursive $ref, formats, 2XX and default', () => {
    const person = { id: '1', name: 'Ann', mail: null, manager: { id: '2', name: 'Bob', mail: 'bob@vendor.test', manager: null } };
    expect(c.checkResponse({ method: 'GET', path: '/v2/people/1', status: 200, headers: json, body: JSON.stringify(person) })).toEqual([]);
    expect(where(c.checkResponse({ method: 'GET', path: '/v2/people/1', status: 200, headers: json, body: JSON.stringify({ ...person, manager: { id: 2, mail: 'nope' } }) }))).toEqual([
      'body /manager: must have required property \'name\'',
      'body /manager/id: must be string',
      'body /manager/mail: must match format "email"',
    ]);
    expect(c.checkResponse({ method: 'GET', path: '/v2/people', status: 206, headers: json, body: '{"items":[],"next":null}' })).toEqual([]); // 2XX
    expect(c.checkResponse({ method: 'GET', path: '/v2/people', status: 503, headers: json, body: '{"code":"busy"}' })).toEqual([]); // default
    expect(where(c.checkResponse({ method: 'GET', path: '/v2/people/1', status: 500, headers: json, body: '{}' }))).toEqual(['status: 500 is not an answer of this operation (declared: 200, 404)']);
    expect(where(c.checkResponse({ method: 'DELETE', path: '/v2/people/1', status: 204, headers: json, body: '{}' }))).toEqual(['body: 204 declares no body']);
    expect(where(c.checkResponse({ method: 'GET', path: '/v2/people/1', status: 404, headers: json, body: '{oops' }))).toEqual(['body: is not JSON']);
  });

  it('prunes a document to the operations used, with the schemas they reach (recursively)', () => {
    const cut = pruneOpenApi(doc, ['GET /people/{id}', 'POST /token']) as typeof doc;
    expect(Object.keys(cut.paths)).toEqual(['/people/{id}', '/token']);
    expect(Object.keys(cut.paths['/people/{id}'])).toEqual(['parameters', 'get']); // the path's parameters kept, DELETE dropped
    expect(Object.keys(cut.components.schemas).sort()).toEqual(['Error', 'Person']);
    expect(() => pruneOpenApi(doc, ['PATCH /people/{id}'])).toThrow('the document has no operation PATCH /people/{id}');
  });
});

describe('contractLog on a simulator', () => {
  let url: string;
  let log: ContractLog;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const sim = createSimApp();
    log = contractLog(sim.app, c, { tolerate: [{ matches: (v) => v.where === 'body /code' || (v.where === 'body' && v.message.startsWith("must have required property 'code'")), because: 'the vendor answers 404 without a code' }] });
    sim.app.get('/v2/people/:id', async (req, reply) => ((req.params as { id: string }).id === '7' ? reply.status(404).send({ message: 'no such person' }) : { id: (req.params as { id: string }).id, name: 'Ann' }));
    sim.app.get('/v2/people', async () => ({ items: [{ id: 1 }] }));
    sim.app.get('/_sim/state', async () => ({}));
    url = await sim.listen();
    close = () => sim.app.close();
  });
  afterAll(() => close?.());

  it('checks what the simulator receives and answers, skips its control routes, and keeps tolerated departures apart', async () => {
    await fetch(`${url}/v2/people/1`);
    await fetch(`${url}/v2/people/7`);
    await fetch(`${url}/v2/people?limit=500`);
    await fetch(`${url}/v2/nothing`); // fastify's own 404
    await fetch(`${url}/_sim/state`);
    expect(log.requests).toBe(4);
    expect(log.responses).toBe(4);
    expect(log.violations.map((v) => `${v.direction} ${v.call} | ${v.where}: ${v.message}`)).toEqual([
      'request GET /v2/people | query limit: must be <= 100',
      "response GET /v2/people → 200 | body /items/0: must have required property 'name'",
      'response GET /v2/people → 200 | body /items/0/id: must be string',
      'request GET /v2/nothing | path: no operation of the contract serves this path',
    ]);
    expect(log.tolerated.map((v) => `${v.call} ${v.because}`)).toEqual(['GET /v2/people/7 → 404 the vendor answers 404 without a code']);
  });
});
