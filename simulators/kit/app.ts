import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { generateCa, issueServerCert, type SimCa } from './tls.ts';

export interface SimAppOptions {
  /** Serve HTTPS with a certificate of this CA (true: a fresh CA) for client libraries that refuse http. */
  https?: boolean | SimCa;
  bodyLimit?: number;
}

export interface SimApp {
  app: FastifyInstance;
  /** The CA to trust when serving HTTPS. */
  ca?: SimCa;
  /** Listens on a free loopback port; returns the base URL (http(s)://127.0.0.1:port). */
  listen(): Promise<string>;
}

/**
 * A fastify app as vendors' APIs behave: JSON bodies (an empty body with a JSON content type is accepted, as
 * most vendors do on DELETE), form bodies for OAuth token endpoints, raw bytes for uploads.
 * @example const { app, listen } = createSimApp(); app.get('/ping', async () => ({ ok: true })); const url = await listen();
 */
export function createSimApp(o: SimAppOptions = {}): SimApp {
  const ca = o.https ? (o.https === true ? generateCa() : o.https) : undefined;
  const cert = ca ? issueServerCert(ca) : undefined;
  const app = (cert ? Fastify({ logger: false, bodyLimit: o.bodyLimit ?? 100 * 1024 * 1024, https: { key: cert.keyPem, cert: cert.certPem } }) : Fastify({ logger: false, bodyLimit: o.bodyLimit ?? 100 * 1024 * 1024 })) as unknown as FastifyInstance;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (!body) return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser(['text/xml', 'application/soap+xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(['multipart/form-data', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  return {
    app,
    ca,
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      // The certificate names 127.0.0.1 too; localhost could resolve to ::1 first, where nothing listens.
      return `${ca ? 'https' : 'http'}://127.0.0.1:${port}`;
    },
  };
}
