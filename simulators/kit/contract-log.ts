import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ContractViolation, OpenApiContract } from './openapi-contract.ts';

/** A known, deliberate departure: the vendor's real behaviour differs from its published document. */
export interface ContractTolerance {
  matches(v: ContractViolation): boolean;
  /** Why the simulator follows the vendor rather than the document (with a source). */
  because: string;
}

export interface ContractLog {
  /** Every departure from the contract seen, in the order the requests and answers came. */
  violations: ContractViolation[];
  /** Departures a tolerance covers, with its reason. */
  tolerated: Array<ContractViolation & { because: string }>;
  /** Requests and answers checked. */
  readonly requests: number;
  readonly responses: number;
  /** Forgets what was seen (between tests). */
  reset(): void;
}

/**
 * Checks every request a simulator receives (what our client sends) and every answer it gives against the
 * vendor's contract, as the request log records timings: the request once its body is parsed, the answer
 * as it is sent. Streamed answers and connections dropped without one are not checked.
 * @example const contract = contractLog(app, new OpenApiContract(doc), { skip: (p) => p.startsWith('/dl/') });
 */
export function contractLog(app: FastifyInstance, contract: OpenApiContract, opts: { skip?: (path: string) => boolean; tolerate?: ContractTolerance[] } = {}): ContractLog {
  const skip = opts.skip ?? ((p: string) => p.startsWith('/_sim'));
  const checked = new WeakSet<FastifyRequest>();
  let requests = 0;
  let responses = 0;
  const log: ContractLog = {
    violations: [],
    tolerated: [],
    get requests() {
      return requests;
    },
    get responses() {
      return responses;
    },
    reset() {
      log.violations.length = 0;
      log.tolerated.length = 0;
      requests = 0;
      responses = 0;
    },
  };
  const path = (req: FastifyRequest) => req.url.split('?')[0];
  // A check that breaks is a finding, never a broken answer of the simulator.
  const guarded = (call: string, check: () => ContractViolation[]) => {
    try {
      for (const v of check()) {
        const t = opts.tolerate?.find((x) => x.matches(v));
        if (t) log.tolerated.push({ ...v, because: t.because });
        else log.violations.push(v);
      }
    } catch (e) {
      log.violations.push({ direction: 'request', call, where: 'check', message: `the contract check failed: ${(e as Error).message}` });
    }
  };
  const checkRequest = (req: FastifyRequest) => {
    if (checked.has(req)) return;
    checked.add(req);
    requests++;
    const q = req.url.indexOf('?');
    guarded(`${req.method} ${path(req)}`, () =>
      contract.checkRequest({ method: req.method, path: path(req), query: new URLSearchParams(q >= 0 ? req.url.slice(q + 1) : ''), headers: req.headers, body: req.body }),
    );
  };
  app.addHook('preHandler', async (req) => {
    if (!skip(path(req))) checkRequest(req);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (skip(path(req))) return payload;
    checkRequest(req); // a request refused before its handler (an unparsable body, no route)
    if (payload === null || payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload)) {
      responses++;
      guarded(`${req.method} ${path(req)} → ${reply.statusCode}`, () =>
        contract.checkResponse({ method: req.method, path: path(req), status: reply.statusCode, headers: reply.getHeaders() as Record<string, string>, body: payload ?? '' }),
      );
    }
    return payload;
  });
  return log;
}
