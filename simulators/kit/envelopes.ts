import crypto from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A request id like vendors put in headers and error bodies. */
export const newRequestId = () => crypto.randomBytes(8).toString('hex');

/**
 * Sends a vendor's error body with its status and headers; `body` is the vendor's envelope, built by its
 * simulator (Box: {type:'error', status, code, message, request_id}; Graph: {error:{code, message, innerError}}).
 */
export function sendVendorError(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}): FastifyReply {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.status(status).send(body);
}

/** An OAuth 2.0 error answer (RFC 6749 §5.2): {error, error_description}. */
export function sendOAuthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.status(status).header('cache-control', 'no-store').send({ error, error_description: description });
}

/** The 401 of RFC 6750 §3 for a missing, invalid or expired bearer token (Box: empty body, this header). */
export function sendInvalidToken(reply: FastifyReply, body?: unknown): FastifyReply {
  reply.status(401).header('WWW-Authenticate', 'Bearer realm="Service", error="invalid_token", error_description="The access token provided is invalid."');
  return body === undefined ? reply.send() : reply.send(body);
}
