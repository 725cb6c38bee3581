import type { FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';

/** One injected fault, consumed by the next matching requests. */
export interface Fault {
  /**
   * 429/5xx: answer with that status (the vendor's envelope); '401': answer as for an invalid token;
   * 'drop': destroy the connection without an answer; 'slow': wait `delayMs`, then answer normally;
   * 'expire-token': expire every access token, then go on (the request gets the vendor's 401);
   * 'answer': answer `status` (default 200) with `body` as JSON instead of the vendor's answer (a malformed
   * answer a client must survive, or a contract check must catch).
   */
  kind: '429' | '500' | '502' | '503' | '504' | '401' | 'drop' | 'slow' | 'expire-token' | 'answer';
  /** How many matching requests it hits (default 1). */
  count?: number;
  /** 429/503: the Retry-After header in seconds... */
  retryAfterSeconds?: number;
  /** ...or as an HTTP-date this many seconds from now. */
  retryAfterDateSeconds?: number;
  /** Extra headers of the answer (e.g. X-RateLimit-Reset). */
  headers?: Record<string, string>;
  /** Only requests whose path contains this / of this method. */
  pathContains?: string;
  /** Let this many matching requests through first (a fault in the middle of a paged read). */
  after?: number;
  method?: string;
  /** 'slow': how long. */
  delayMs?: number;
  /** 'answer': the status and the JSON body sent. */
  status?: number;
  body?: unknown;
}

/** Takes the first fault matching the request off the queue (decrementing its count). */
export function takeFault(faults: Fault[], req: FastifyRequest): Fault | undefined {
  const path = req.url.split('?')[0];
  const matching = faults.filter((x) => (!x.pathContains || path.includes(x.pathContains)) && (!x.method || x.method.toUpperCase() === req.method));
  const f = matching.find((x) => !x.after);
  // Every other matching fault still waiting saw one more request go by.
  for (const x of matching) if (x !== f && x.after) x.after--;
  if (!f) return undefined;
  f.count = (f.count ?? 1) - 1;
  if (f.count <= 0) faults.splice(faults.indexOf(f), 1);
  return f;
}

export interface FaultHooks {
  /** The vendor's error answer for an injected status (its envelope). */
  error(reply: FastifyReply, status: number, headers: Record<string, string>): FastifyReply;
  /** The vendor's answer to an invalid token. */
  unauthorized(reply: FastifyReply): FastifyReply;
  expireTokens(): void;
}

/**
 * Applies the fault that matches the request, if any: true when it answered (or dropped the connection),
 * false when the request goes on (no fault, a slow one, an expired token).
 */
export async function applyFault(faults: Fault[], req: FastifyRequest, reply: FastifyReply, hooks: FaultHooks): Promise<boolean> {
  const f = takeFault(faults, req);
  if (!f) return false;
  switch (f.kind) {
    case 'expire-token':
      hooks.expireTokens();
      return false;
    case 'slow':
      await sleep(f.delayMs ?? 1000);
      return false;
    case 'drop':
      req.raw.socket.destroy();
      return true;
    case '401':
      hooks.unauthorized(reply);
      return true;
    case 'answer':
      for (const [k, v] of Object.entries(f.headers ?? {})) reply.header(k, v);
      reply.status(f.status ?? 200).send(f.body);
      return true;
    default: {
      const headers: Record<string, string> = { ...f.headers };
      if (f.retryAfterSeconds !== undefined) headers['retry-after'] = String(f.retryAfterSeconds);
      if (f.retryAfterDateSeconds !== undefined) headers['retry-after'] = new Date(Date.now() + f.retryAfterDateSeconds * 1000).toUTCString();
      if (f.kind === '429' && !headers['retry-after'] && !f.headers) headers['retry-after'] = '1';
      hooks.error(reply, Number(f.kind), headers);
      return true;
    }
  }
}
