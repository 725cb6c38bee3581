/**
 * Checks requests and answers against a vendor's published OpenAPI 3.0 document (ajv over its schemas), so a
 * simulator's test proves that our client sends what the vendor accepts and that the simulator answers what
 * the vendor answers. Wire it to a simulator with `contractLog` (contract-log.ts).
 *
 * What is checked, per operation (found by method and path below one of its servers' base paths):
 *  - request: path parameters, query parameters (declared ones only; required ones present; values coerced
 *    from text to the declared type: integers, booleans, comma-separated arrays), required headers, the body
 *    (JSON, form, or multipart/form-data with JSON parts) against the request body's schema for its media type;
 *  - answer: the status is declared (or covered by `default`), the media type is one the status declares, a
 *    JSON body matches its schema, a status that declares a body has one.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { parseFormData } from './multipart.ts';

type Json = Record<string, any>;
type Values = Record<string, string | string[] | undefined>;

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv) => Ajv;

export interface ContractRequest {
  method: string;
  /** The path as served (with the server's base path, e.g. /2.0/folders/0), without the query. */
  path: string;
  query?: URLSearchParams | Values;
  headers?: Values;
  /** The parsed body: an object (JSON, form), or the raw bytes or text (multipart, binary). */
  body?: unknown;
}

export interface ContractResponse {
  method: string;
  path: string;
  status: number;
  headers?: Values;
  /** The body as sent: text or bytes (JSON is parsed here), or an already parsed value. */
  body?: unknown;
}

export interface ContractViolation {
  direction: 'request' | 'response';
  /** "GET /2.0/folders/0/items" as seen. */
  call: string;
  /** The contract's operation, "GET /folders/{folder_id}/items", when one matched. */
  operation?: string;
  /** What is wrong where: "query limit", "body /entries/0/id", "status", ... */
  where: string;
  message: string;
  /** The offending value, for a schema mismatch. */
  value?: unknown;
}

interface Operation {
  key: string;
  method: string;
  template: string;
  regex: RegExp;
  paramNames: string[];
  /** Base paths of the servers that serve it ('' for a server at the host's root). */
  bases: string[];
  parameters: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const DOC_ID = 'openapi-contract.json';

const mediaType = (v: string | string[] | undefined) => String(Array.isArray(v) ? v[0] : (v ?? '')).split(';')[0].trim().toLowerCase();

function headerValue(headers: Values | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const k = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
  const v = k ? headers[k] : undefined;
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The base path of a server URL: https://{host}/api/2.0 → /api/2.0 (variables take their defaults). */
function basePath(server: Json): string {
  const url = String(server.url).replace(/\{([^}]+)\}/g, (_m, v: string) => String(server.variables?.[v]?.default ?? 'x'));
  return new URL(url, 'http://relative.invalid').pathname.replace(/\/+$/, '');
}

/** Marks the schemas added for `nullable` without `type`, whose own failures say nothing useful. */
const NULLABLE = 'x-contract-nullable';

/**
 * The copy ajv gets: refs point into it (registered under DOC_ID); examples are dropped, since ajv would
 * read a `$id` inside an example object (Box's metadata examples have them) as a schema id. `nullable`
 * without `type` (ajv refuses it) reads as vendors mean it, `{ allOf: [{ $ref }], nullable: true }` being "this
 * or null": it becomes anyOf [null, the rest]; `nullable: false` there is the default and is dropped.
 */
function rebase(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rebase);
  if (!v || typeof v !== 'object') return v;
  const o = v as Json;
  const out = Object.fromEntries(
    Object.entries(o)
      .filter(([k]) => k !== 'example' && k !== 'examples' && !(k === 'nullable' && o.type === undefined))
      .map(([k, x]) => [k, k === '$ref' && typeof x === 'string' && x.startsWith('#') ? DOC_ID + x : rebase(x)]),
  );
  return o.nullable === true && o.type === undefined ? { [NULLABLE]: true, anyOf: [{ [NULLABLE]: true, type: 'null' }, out] } : out;
}

const schemaType = (s: Json | undefined): string | undefined => {
  if (!s) return undefined;
  if (s.type) return s.type;
  for (const k of ['allOf', 'oneOf', 'anyOf']) for (const x of s[k] ?? []) if (schemaType(x)) return schemaType(x);
  return undefined;
};

/** A parameter's text as the declared type (left as text when it is not one, so the schema reports it). */
function coerce(values: string[], schema: Json | undefined): unknown {
  const type = schemaType(schema);
  if (type === 'array') return values.flatMap((v) => v.split(',')).map((v) => coerce([v], schema?.items));
  const v = values[values.length - 1];
  if ((type === 'integer' || type === 'number') && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly ops: Operation[] = [];
  private readonly validators = new Map<unknown, ValidateFunction>();

  /** @param doc An OpenAPI 3.0 document (e.g. a vendored openapi.json, pruned with openapi-prune.ts). */
  constructor(doc: Json) {
    this.ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false, validateFormats: true });
    addFormats(this.ajv);
    const rebased = rebase(doc) as Json;
    this.ajv.addSchema({ components: rebased.components ?? {} }, DOC_ID);
    for (const [template, item] of Object.entries<Json>(rebased.paths ?? {})) {
      const paramNames: string[] = [];
      const regex = new RegExp(
        '^' +
          template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, n: string) => {
            paramNames.push(n);
            return '([^/]+)';
          }) +
          '$',
      );
      for (const m of METHODS) {
        const op = item[m] as Json | undefined;
        if (!op) continue;
        const byKey = new Map<string, Json>();
        for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((x: Json) => this.deref(rebased, x))) byKey.set(`${p.in}:${p.name}`, p);
        this.ops.push({
          key: `${m.toUpperCase()} ${template}`,
          method: m.toUpperCase(),
          template,
          regex,
          paramNames,
          bases: (op.servers ?? item.servers ?? rebased.servers ?? [{ url: '/' }]).map(basePath),
          parameters: [...byKey.values()],
          requestBody: op.requestBody ? this.deref(rebased, op.requestBody) : undefined,
          responses: Object.fromEntries(Object.entries<Json>(op.responses ?? {}).map(([s, r]) => [s, this.deref(rebased, r)])),
        });
      }
    }
    // Literal segments win over templates (/files/content before /files/{file_id}).
    this.ops.sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  private deref(doc: Json, v: Json): Json {
    let x = v;
    for (let i = 0; x?.$ref && i < 10; i++) x = String(x.$ref).slice(DOC_ID.length + 2).split('/').map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~'))).reduce((o: Json, k) => o?.[k], doc);
    return x;
  }

  private validator(schema: Json): ValidateFunction {
    let v = this.validators.get(schema);
    if (!v) {
      v = this.ajv.compile(schema);
      this.validators.set(schema, v);
    }
    return v;
  }

  /** The operations of the contract, "METHOD /template". */
  get operations(): string[] {
    return this.ops.map((o) => o.key);
  }

  /** The operation serving `method path` (path as served, with the server's base path), with its path parameters. */
  match(method: string, path: string): { operation: Operation; params: Record<string, string> } | undefined {
    let pathOnly: Operation | undefined;
    for (const op of this.ops) {
      for (const base of op.bases) {
        if (base && !path.startsWith(base + '/')) continue;
        const m = op.regex.exec(base ? path.slice(base.length) : path);
        if (!m) continue;
        if (op.method !== method.toUpperCase()) {
          pathOnly ??= op;
          continue;
        }
        return { operation: op, params: Object.fromEntries(op.paramNames.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
      }
    }
    return pathOnly ? { operation: { ...pathOnly, key: '' }, params: {} } : undefined;
  }

  /** What is wrong with a request, by the contract (empty when it conforms). */
  checkRequest(r: ContractRequest): ContractViolation[] {
    const call = `${r.method.toUpperCase()} ${r.path}`;
    const found = this.match(r.method, r.path);
    if (!found) return [{ direction: 'request', call, where: 'path', message: 'no operation of the contract serves this path' }];
    if (!found.operation.key) return [{ direction: 'request', call, operation: `* ${found.operation.template}`, where: 'method', message: `${r.method.toUpperCase()} is not an operation of ${found.operation.template}` }];
    const { operation: op, params } = found;
    const out: ContractViolation[] = [];
    const add = (where: string, message: string, value?: unknown) => out.push({ direction: 'request', call, operation: op.key, where, message, ...(value !== undefined ? { value } : {}) });
    const query = new Map<string, string[]>();
    const q = r.query instanceof URLSearchParams ? [...r.query.entries()] : Object.entries(r.query ?? {}).flatMap(([k, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string])));
    for (const [k, v] of q) query.set(k, [...(query.get(k) ?? []), v]);

    for (const p of op.parameters) {
      const where = `${p.in} ${p.name}`;
      const raw = p.in === 'path' ? (params[p.name] !== undefined ? [params[p.name]] : undefined) : p.in === 'query' ? query.get(p.name) : p.in === 'header' ? (headerValue(r.headers, p.name) !== undefined ? [headerValue(r.headers, p.name)!] : undefined) : undefined;
      if (p.in === 'cookie') continue;
      if (!raw) {
        if (p.required) add(where, 'is required and missing');
        continue;
      }
      if (p.schema) this.collect(add, where, p.schema, coerce(raw, p.schema));
    }
    const declaredQuery = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const k of query.keys()) if (!declaredQuery.has(k)) add(`query ${k}`, 'is not a parameter of this operation');

    const ct = mediaType(headerValue(r.headers, 'content-type'));
    const empty = r.body === undefined || r.body === null || r.body === '' || (Buffer.isBuffer(r.body) && r.body.length === 0);
    if (!op.requestBody) {
      if (!empty) add('body', 'this operation takes no body');
      return out;
    }
    if (empty) {
      if (op.requestBody.required) add('body', 'is required and missing');
      return out;
    }
    const content = op.requestBody.content ?? {};
    const media = content[ct] ?? Object.entries<Json>(content).find(([k]) => k.endsWith('/*') && ct.startsWith(k.slice(0, -1)))?.[1] ?? content['*/*'];
    if (!media) {
      add('body', `content type ${ct || '(none)'} is not one of ${Object.keys(content).join(', ')}`);
      return out;
    }
    if (!media.schema) return out;
    const body = this.requestBodyValue(r.body, headerValue(r.headers, 'content-type') ?? '', media.schema, (m) => add('body', m));
    if (body !== undefined) this.collect(add, 'body', media.schema, body);
    return out;
  }

  /** The body as the schema sees it: parsed JSON, a form's fields, multipart parts (JSON parts parsed). */
  private requestBodyValue(body: unknown, contentType: string, schema: Json, fail: (m: string) => void): unknown {
    const ct = mediaType(contentType);
    if (schemaType(schema) === 'string') return typeof body === 'string' ? body : ''; // binary content
    if (ct === 'multipart/form-data') {
      if (!Buffer.isBuffer(body) && typeof body !== 'string') return body;
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const out: Record<string, unknown> = {};
      for (const part of parseFormData(Buffer.from(body as Buffer), contentType)) {
        const type = schemaType(props[part.name]);
        if (type === 'object' || type === 'array') {
          try {
            out[part.name] = JSON.parse(part.data.toString());
          } catch {
            fail(`the part ${part.name} is not JSON`);
          }
        } else out[part.name] = part.data.toString('latin1').slice(0, 64);
      }
      return out;
    }
    if (ct === 'application/x-www-form-urlencoded') {
      const fields = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, string>);
      const props = (schema.properties ?? {}) as Record<string, Json>;
      return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, coerce([String(v)], props[k])]));
    }
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      try {
        return JSON.parse(body.toString());
      } catch {
        fail('is not JSON');
        return undefined;
      }
    }
    return body;
  }

  /** What is wrong with an answer, by the contract (empty when it conforms). */
  checkResponse(r: ContractResponse): ContractViolation[] {
    const call = `${r.method.toUpperCase()} ${r.path} → ${r.status}`;
    const found = this.match(r.method, r.path);
    if (!found || !found.operation.key) return []; // the request's check reports it
    const op = found.operation;
    const out: ContractViolation[] = [];
    const add = (where: string, message: string, value?: unknown) => out.push({ direction: 'response', call, operation: op.key, where, message, ...(value !== undefined ? { value } : {}) });
    const declared = op.responses[String(r.status)] ?? op.responses[`${String(r.status)[0]}XX`] ?? op.responses.default;
    if (!declared) {
      add('status', `${r.status} is not an answer of this operation (declared: ${Object.keys(op.responses).join(', ')})`);
      return out;
    }
    const content = (declared.content ?? {}) as Record<string, Json>;
    const text = r.body === undefined || r.body === null ? '' : Buffer.isBuffer(r.body) ? r.body.toString() : typeof r.body === 'string' ? r.body : undefined;
    const empty = text === '';
    if (!Object.keys(content).length) {
      if (!empty) add('body', `${r.status} declares no body`);
      return out;
    }
    if (empty) {
      add('body', `${r.status} declares a body (${Object.keys(content).join(', ')}), the answer has none`);
      return out;
    }
    const ct = mediaType(headerValue(r.headers, 'content-type'));
    const media = content[ct] ?? content['*/*'];
    if (!media) {
      add('content-type', `${ct || '(none)'} is not one of ${Object.keys(content).join(', ')}`);
      return out;
    }
    if (!media.schema || !(ct === 'application/json' || ct.endsWith('+json'))) return out;
    let body: unknown = r.body;
    if (text !== undefined) {
      try {
        body = JSON.parse(text);
      } catch {
        add('body', 'is not JSON');
        return out;
      }
    }
    this.collect(add, 'body', media.schema, body);
    return out;
  }

  private collect(add: (where: string, message: string, value?: unknown) => void, where: string, schema: Json, value: unknown): void {
    const validate = this.validator(schema);
    if (validate(value)) return;
    const errors = (validate.errors ?? []).filter((e) => !(e.parentSchema as Json | undefined)?.[NULLABLE]);
    for (const e of dedupe(errors)) add(`${where}${e.instancePath ? ' ' + e.instancePath : ''}`, describe(e), e.data);
  }
}

/** allOf/oneOf report the same failure once per branch; keep each (place, message) once. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.instancePath} ${describe(e)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'enum') return `${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'additionalProperties') return `has ${(e.params as { additionalProperty: string }).additionalProperty}, which the schema does not allow`;
  return e.message ?? e.keyword;
}
