import crypto from 'node:crypto';
import type { MetricsConfig } from '../config.ts';
import { metricsRegistry } from '../shared/metrics.ts';
import type { Database } from '../db/database.ts';
import { renderMetrics } from './database-metrics.ts';
import { MetricsErrors } from './errors.ts';

const same = (a: string, b: string) => {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
};

/**
 * Whether a scrape may read the metrics: on the API's port only with the configured token; on the metrics
 * port (bound to LMC_METRICS_HOST) freely, unless a token is configured, which is then required there too.
 */
export function assertMayScrape(cfg: MetricsConfig, authorization: string | undefined, on: 'api' | 'metrics-port'): void {
  if (!cfg.token) {
    if (on === 'api') throw MetricsErrors.OFF.create();
    return;
  }
  const given = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
  if (!given || !same(given, cfg.token)) throw MetricsErrors.TOKEN.create();
}

export async function metricsText(db: Database): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await renderMetrics(db) };
}
