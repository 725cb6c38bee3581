import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { installAuth } from './auth.ts';
import { installErrorHandler } from './error-handler.ts';
import { clientErrorHandler, frameworkErrors, installInputGuards, MAX_HEADER_BYTES, MAX_PARAM_LENGTH } from './input-guards.ts';
import type { Api, RouteModule } from './types.ts';
import { httpDuration, httpRequests } from '../shared/metrics.ts';

const routesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'routes');

/** Route files are found by convention: src/api/routes/<area>/<method>-<resource>.ts, default export. */
async function routeFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const area of (await fs.readdir(routesDir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    for (const f of await fs.readdir(path.join(routesDir, area.name))) {
      if (f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('_')) out.push(path.join(routesDir, area.name, f));
    }
  }
  return out.sort();
}

export interface BuildOptions {
  /** Log requests (off in tests). */
  logger?: boolean;
}

/**
 * Builds the HTTP API on an app context. Routes, auth and error handling are wired here; the server is
 * not listening yet (call `listen`, or `inject` in tests).
 */
export async function buildApi(ctx: AppContext, opts: BuildOptions = {}): Promise<Api> {
  const app = Fastify({
    logger: opts.logger ? { level: ctx.config.logLevel, redact: ['req.headers.authorization'] } : false,
    bodyLimit: 50 * 1024 * 1024,
    // A hop count (number) is accepted by fastify (proxy-addr) though its types leave it out.
    trustProxy: ctx.config.trustProxy as boolean | string,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    clientErrorHandler,
    frameworkErrors,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', ctx);
  await app.register(swagger, {
    openapi: {
      info: { title: 'lmc — learning manager connectors', version: '1', description: 'Admin and connector API of the learning platform integration hub.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  installErrorHandler(app);
  installInputGuards(app);
  // Counted by route pattern (/api/v1/runs/:id), never by raw URL: ids would make a series per request.
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  installAuth(app);
  for (const file of await routeFiles()) {
    const mod = (await import(pathToFileURL(file).href)) as { default?: RouteModule };
    if (typeof mod.default !== 'function') throw new Error(`${file} has no default route module`);
    await app.register(async (scope) => {
      await mod.default!(scope as Api);
    });
  }
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
