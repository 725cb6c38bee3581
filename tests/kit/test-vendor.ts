/**
 * A small vendor API built only from the simulator kit (simulators/kit), for the kit/http and kit/paging
 * tests: OAuth token endpoint, bearer check, injected faults, request log, and one paged collection served
 * with each paging style vendors use.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createSimApp, type SimAppOptions } from '../../simulators/kit/app.ts';
import { newRequestId, sendInvalidToken, sendVendorError } from '../../simulators/kit/envelopes.ts';
import { applyFault, type Fault } from '../../simulators/kit/faults.ts';
import { registerAuthorizeEndpoint, registerTokenEndpoint } from '../../simulators/kit/oauth.ts';
import { requestLog, type RequestLog } from '../../simulators/kit/request-log.ts';
import { TokenStore } from '../../simulators/kit/tokens.ts';
import type { SimCa } from '../../simulators/kit/tls.ts';

export const CLIENT = { clientId: 'kit-client', clientSecret: 'kit-client-secret-5c1e', redirectUris: ['http://127.0.0.1:9/callback'] };
/** A public client (no secret): authorization code with PKCE only. */
export const PUBLIC_CLIENT = { clientId: 'kit-public', redirectUris: ['http://127.0.0.1:9/callback'] };
export const ITEMS = Array.from({ length: 23 }, (_, i) => ({ id: `item-${i + 1}`, n: i + 1 }));

export interface TestVendor {
  url: string;
  ca?: SimCa;
  tokens: TokenStore;
  faults: Fault[];
  log: RequestLog;
  /** Answers of GET /marketo/items still to fail with error 606 in an HTTP 200. */
  marketo606: { left: number };
  close(): Promise<void>;
}

export async function startTestVendor(o: SimAppOptions & { accessTtlSeconds?: number } = {}): Promise<TestVendor> {
  const { app, listen, ca } = createSimApp(o);
  const log = requestLog(app);
  const tokens = new TokenStore({ accessTtlSeconds: o.accessTtlSeconds ?? 3600 });
  const faults: Fault[] = [];
  const marketo606 = { left: 0 };
  registerTokenEndpoint(app, { clients: [CLIENT, PUBLIC_CLIENT], tokens });
  registerAuthorizeEndpoint(app, { clients: [CLIENT, PUBLIC_CLIENT], tokens, requirePkce: true, subject: 'user-1' });

  const error = (reply: FastifyReply, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    const id = newRequestId();
    return sendVendorError(reply, status, { error: { code, message, requestId: id } }, { 'x-request-id': id, ...headers });
  };
  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    const answered = await applyFault(faults, req, reply, {
      error: (r, status, headers) => error(r, status, status === 429 ? 'TooManyRequests' : 'ServiceFailure', `injected ${status}`, headers),
      unauthorized: (r) => sendInvalidToken(r, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } }),
      expireTokens: () => tokens.expireAll(),
    });
    if (answered) return false;
    if (!tokens.check(req.headers.authorization)) {
      sendInvalidToken(reply, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or expired.' } });
      return false;
    }
    return true;
  };
  const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
  const slice = (start: number, size: number) => ITEMS.slice(start, start + size);
  let base = '';

  // Graph style: {value, @odata.nextLink} with an absolute link (https://learn.microsoft.com/graph/paging).
  app.get('/link/items', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const skip = Number(q(req).skip ?? 0);
    const next = skip + 5 < ITEMS.length ? `${base}/link/items?skip=${skip + 5}` : undefined;
    return { value: slice(skip, 5), ...(next ? { '@odata.nextLink': next } : {}) };
  });
  // Salesforce style: {records, done, nextRecordsUrl} relative to the host.
  app.get('/records', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return { totalSize: ITEMS.length, done: ITEMS.length <= 10, records: slice(0, 10), ...(ITEMS.length > 10 ? { nextRecordsUrl: '/records/next-10' } : {}) };
  });
  app.get('/records/:from', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const from = Number((req.params as { from: string }).from.replace('next-', ''));
    const more = from + 10 < ITEMS.length;
    return { totalSize: ITEMS.length, done: !more, records: slice(from, 10), ...(more ? { nextRecordsUrl: `/records/next-${from + 10}` } : {}) };
  });
  // RFC 8288 Link header (GitHub style), the body an array.
  app.get('/header/items', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const page = Number(q(req).page ?? 1);
    const last = Math.ceil(ITEMS.length / 7);
    const links = [`<${base}/header/items?page=${last}>; rel="last"`];
    if (page < last) links.unshift(`</header/items?page=${page + 1}>; rel="next"`);
    reply.header('link', links.join(', '));
    return slice((page - 1) * 7, 7);
  });
  // Cursor (Box next_marker / Zoom next_page_token style).
  app.get('/cursor/items', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const start = q(req).cursor ? Number(Buffer.from(q(req).cursor!, 'base64url').toString()) : 0;
    const size = Number(q(req).limit ?? 6);
    const next = start + size < ITEMS.length ? Buffer.from(String(start + size)).toString('base64url') : '';
    return { entries: slice(start, size), next_cursor: next };
  });
  // offset/limit with a total.
  app.get('/offset/items', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const offset = Number(q(req).offset ?? 0);
    const limit = Number(q(req).limit ?? 10);
    return { total: ITEMS.length, items: slice(offset, limit) };
  });
  // page number with the number of pages.
  app.get('/page/items', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const page = Number(q(req).page ?? 1);
    const size = Number(q(req).per_page ?? 10);
    return { page, total_pages: Math.ceil(ITEMS.length / size), data: slice((page - 1) * size, size) };
  });
  // Marketo: errors in an HTTP 200 body (https://developers.marketo.com/rest-api/error-codes/).
  app.get('/marketo/items', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    if (marketo606.left > 0) {
      marketo606.left--;
      return { requestId: newRequestId(), success: false, errors: [{ code: '606', message: 'Max rate limit exceeded' }] };
    }
    if (q(req).bad) return { requestId: newRequestId(), success: false, errors: [{ code: '1003', message: 'Invalid lookup field' }] };
    return { requestId: newRequestId(), success: true, result: slice(0, 3) };
  });
  // A wrong shape for the zod test: the second item's id is a number.
  app.get('/bad-shape', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return { value: [{ id: 'a' }, { id: 2 }] };
  });
  // Slow answers, for the concurrency limit (the log records how many were in flight at once).
  app.get('/slow', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    await new Promise((r) => setTimeout(r, Number(q(req).ms ?? 50)));
    return { ok: true };
  });
  app.post('/echo', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return { got: req.body ?? null };
  });
  // An error that quotes the request back (some vendors do): the client must scrub credentials from it.
  app.get('/leaky', async (req, reply) => {
    return error(reply, 400, 'BadRequest', `bad request ${req.url} with ${req.headers.authorization ?? ''}`);
  });
  app.get('/open', async () => ({ open: true }));
  // SOAP 1.1 answers faults with HTTP 500 and the fault code in the body; Salesforce's session expiry is
  // sf:INVALID_SESSION_ID (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm).
  app.post('/soap', async (req, reply) => {
    const fault = (code: string, text: string) =>
      reply.status(500).header('content-type', 'text/xml').send(`<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>${code}</faultcode><faultstring>${text}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`);
    if (!tokens.check(req.headers.authorization)) return fault('sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader');
    if (String(req.body).includes('bad')) return fault('sf:INVALID_FIELD', "INVALID_FIELD: No such column 'Nope'");
    return reply.header('content-type', 'text/xml').send('<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><queryResponse/></soapenv:Body></soapenv:Envelope>');
  });
  // A download whose body trickles in (5 chunks, `gap` ms apart) after the headers.
  app.get('/download', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const gap = Number(q(req).gap ?? 100);
    async function* chunks() {
      for (let i = 0; i < 5; i++) {
        if (i) await new Promise((r) => setTimeout(r, gap));
        yield `line ${i}\n`;
      }
    }
    return reply.header('content-type', 'text/csv').send(Readable.from(chunks()));
  });

  base = await listen();
  return { url: base, ca, tokens, faults, log, marketo606, close: () => app.close() };
}
