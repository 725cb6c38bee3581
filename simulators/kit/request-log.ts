import type { FastifyInstance } from 'fastify';

export interface LoggedRequest {
  method: string;
  path: string;
  /** The answer's status; 0 when the connection was dropped without one. */
  status: number;
  /** Date.now() when the request arrived and when its answer was done (or the connection closed). */
  startedAt: number;
  endedAt: number;
  /** Requests being handled at once when this one arrived (itself included). */
  inFlight: number;
}

export interface RequestLog {
  entries: LoggedRequest[];
  /** Requests being handled now, and the most ever at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Forgets the entries and the maximum (between tests). */
  reset(): void;
}

/**
 * Records every request except the simulator's own control routes (/_sim...): method, path, status,
 * timing, and concurrency, so tests can check waits and limits from the server's side.
 */
export function requestLog(app: FastifyInstance, opts: { skip?: (path: string) => boolean } = {}): RequestLog {
  const skip = opts.skip ?? ((p: string) => p.startsWith('/_sim'));
  let inFlight = 0;
  let maxInFlight = 0;
  const log: RequestLog = {
    entries: [],
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset() {
      log.entries.length = 0;
      maxInFlight = inFlight;
    },
  };
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0];
    if (skip(path)) return;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const entry = { method: req.method, path, startedAt: Date.now(), inFlight };
    // 'close' fires both when the answer is sent and when the connection is dropped mid-request.
    reply.raw.once('close', () => {
      inFlight--;
      log.entries.push({ ...entry, status: reply.raw.writableFinished ? reply.statusCode : 0, endedAt: Date.now() });
    });
  });
  return log;
}
