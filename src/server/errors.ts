import { defineErrors } from '../shared/errors.ts';

/** GET /metrics (src/server/metrics-access.ts). */
export const MetricsErrors = defineErrors('METRICS', {
  OFF: { status: 404, message: 'metrics are not served on this port: set LMC_METRICS_TOKEN, or LMC_METRICS_PORT for a listener of their own (docs/operations.md)' },
  TOKEN: { status: 401, message: 'metrics need "Authorization: Bearer <LMC_METRICS_TOKEN>"' },
});
