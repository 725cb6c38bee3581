import client from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client, the Prometheus client every Node exporter uses: its text
 * format, histograms and default process metrics are not worth writing again). Counters and histograms
 * count what this process did (HTTP requests it answered, runs its worker executed, vendor calls they made,
 * statements its LRS stored); gauges read from the database at scrape time describe the whole installation
 * (src/server/database-metrics.ts). Served at GET /metrics and on LMC_METRICS_PORT (docs/operations.md).
 */
export const metricsRegistry = new client.Registry();
client.collectDefaultMetrics({ register: metricsRegistry, prefix: 'lmc_' });

const registers = [metricsRegistry];

export const httpRequests = new client.Counter({
  name: 'lmc_http_requests_total', help: 'HTTP requests answered by this process, by route pattern and status', labelNames: ['method', 'route', 'status'] as const, registers,
});
export const httpDuration = new client.Histogram({
  name: 'lmc_http_request_duration_seconds', help: 'HTTP answer time by route pattern', labelNames: ['method', 'route'] as const, registers,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
export const runDuration = new client.Histogram({
  name: 'lmc_run_duration_seconds', help: 'Duration of the runs this process executed, by connector, action and final status', labelNames: ['connector', 'action', 'status'] as const, registers,
  buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600],
});
export const runRecords = new client.Counter({
  name: 'lmc_run_records_total', help: 'Records of the real (not dry) runs this process executed: type import or export, kind read/created/updated/unchanged/skipped/rejected/suspended/deleted', labelNames: ['type', 'kind'] as const, registers,
});
export const vendorApiCalls = new client.Counter({
  name: 'lmc_vendor_api_calls_total', help: 'Calls to vendor APIs made by the runs of this process, by connector', labelNames: ['connector'] as const, registers,
});
export const vendorApiRetries = new client.Counter({
  name: 'lmc_vendor_api_retries_total', help: 'Vendor API calls retried (errors, throttling), by connector', labelNames: ['connector'] as const, registers,
});
export const lrsStatementsStored = new client.Counter({
  name: 'lmc_lrs_statements_stored_total', help: 'xAPI statements accepted and stored by this process (LRS requests and xAPI imports; an identical re-send counts again)', registers,
});

export type { client as promClient };
