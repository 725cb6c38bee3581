import http from 'node:http';
import type { AppContext } from '../app-context.ts';
import { LmcError } from '../shared/errors.ts';
import { assertMayScrape, metricsText } from './metrics-access.ts';

/**
 * LMC_METRICS_PORT: /metrics and /health on a listener of their own, bound to LMC_METRICS_HOST (127.0.0.1 by
 * default), for `lmc worker` (which has no HTTP API) and for a `lmc serve` whose API port is public. Returns
 * undefined when no port is configured.
 */
export async function startMetricsServer(ctx: AppContext): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  const cfg = ctx.config.metrics;
  if (!cfg.port) return undefined;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      try {
        if (req.method !== 'GET') throw Object.assign(new Error('only GET'), { status: 405 });
        if (url.pathname === '/health') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
          return;
        }
        if (url.pathname !== '/metrics') throw Object.assign(new Error('not found'), { status: 404 });
        assertMayScrape(cfg, req.headers.authorization, 'metrics-port');
        const m = await metricsText(ctx.db);
        res.writeHead(200, { 'content-type': m.contentType }).end(m.body);
      } catch (e) {
        const status = e instanceof LmcError ? e.status : ((e as { status?: number }).status ?? 500);
        const code = e instanceof LmcError ? e.code : status === 404 ? 'LMC_ERR_COMMON_NOT_FOUND' : 'LMC_ERR_COMMON_INTERNAL';
        if (status >= 500) ctx.log.warn({ err: e }, 'metrics scrape failed');
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message: status >= 500 ? 'internal error' : (e as Error).message, retryable: status >= 500 } }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const addr = server.address() as { port: number };
  return {
    url: `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${addr.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
