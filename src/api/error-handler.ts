import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDbInputError } from '../shared/db-input-error.ts';
import { CommonErrors, LmcError } from '../shared/errors.ts';
import type { Api } from './types.ts';

/** Every error leaves as `{ error: { code, message, field?, data?, retryable } }` with a stable code. */
export function installErrorHandler(app: Api): void {
  app.setErrorHandler((err: FastifyError | LmcError | Error, req, reply) => {
    let e: LmcError;
    if (err instanceof LmcError) e = err;
    else if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0];
      const where = (err as FastifyError).validationContext ?? 'body';
      const p = issue?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
      const field = [where, p].filter(Boolean).join('.');
      e = CommonErrors.VALIDATION.create({ field, detail: `${field}: ${issue?.message ?? 'invalid'}`, data: { issues: err.validation.map((v) => ({ path: v.instancePath, message: v.message })) } });
    } else if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      e = CommonErrors.INTERNAL.create('response did not match its schema');
    } else if (isDbInputError(err)) {
      // A value the database cannot hold (an id beyond bigint, a NUL, a too-long text) that no schema caught:
      // the request is wrong, not the server.
      req.log.warn({ err }, 'database refused a value of the request');
      e = CommonErrors.VALIDATION.create(`a value of the request cannot be stored or compared: ${err.message}`);
    } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
      const fe = err as FastifyError;
      const status = fe.statusCode!;
      const factory = status === 404 ? CommonErrors.NOT_FOUND : status === 413 ? CommonErrors.PAYLOAD_TOO_LARGE : status === 429 ? CommonErrors.RATE_LIMITED : CommonErrors.VALIDATION;
      e = factory.create(fe.message);
    } else {
      req.log.error({ err }, 'unhandled error');
      e = CommonErrors.INTERNAL.create();
    }
    // RFC 6750 §3: a refused OAuth bearer token says why in WWW-Authenticate.
    if (typeof e.data?.wwwAuthenticate === 'string') reply.header('www-authenticate', e.data.wwwAuthenticate);
    if (e.status === 503) reply.header('retry-after', String((e.data?.retryAfterSeconds as number | undefined) ?? 30));
    if (e.status === 429 && typeof e.data?.retryAfterSeconds === 'number') reply.header('retry-after', String(e.data.retryAfterSeconds));
    reply.status(e.status).send({ error: e.toJSON() });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: CommonErrors.NOT_FOUND.create(`${req.method} ${req.url}`).toJSON() });
  });
}
