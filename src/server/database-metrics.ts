import client from 'prom-client';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { BOSS_SCHEMA, RUN_QUEUE } from '../engine/queue.ts';
import { metricsRegistry } from '../shared/metrics.ts';

let source: Database | undefined;

/**
 * Gauges of the whole installation, read from the database when /metrics is scraped: runs by status (every
 * account, every worker) and the job queue's depth. Any process serving /metrics gives the same values.
 * `db` is the scraping server's database (one per process outside tests).
 */
export async function renderMetrics(db: Database): Promise<string> {
  source = db;
  return metricsRegistry.metrics();
}

new client.Gauge({
  name: 'lmc_runs', help: 'Runs by status (all accounts)', labelNames: ['status'] as const, registers: [metricsRegistry],
  async collect() {
    this.reset();
    if (!source) return;
    const rows = await source.selectFrom('runs').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute();
    for (const r of rows) this.set({ status: r.status }, r.n);
  },
});

new client.Gauge({
  name: 'lmc_queue_jobs', help: 'Jobs of the run queue (pg-boss) by state: created and retry are waiting for a worker', labelNames: ['state'] as const, registers: [metricsRegistry],
  async collect() {
    this.reset();
    if (!source) return;
    const r = await sql<{ state: string; n: number }>`select state::text as state, count(*)::int as n from ${sql.table(`${BOSS_SCHEMA}.job`)} where name = ${RUN_QUEUE} group by state`.execute(source);
    for (const x of r.rows) this.set({ state: x.state }, x.n);
  },
});

new client.Gauge({
  name: 'lmc_runs_waiting_seconds', help: 'How long the oldest queued run has waited (0 when none waits)', registers: [metricsRegistry],
  async collect() {
    if (!source) return;
    const r = await sql<{ s: number | null }>`select extract(epoch from now() - min(queued_at))::float8 as s from runs where status = 'queued'`.execute(source);
    this.set(r.rows[0]?.s ?? 0);
  },
});
