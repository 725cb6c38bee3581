import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Fields added to every log line written while some work runs, whichever logger writes it: a run's id and
 * worker reach the lines of the connector's file source, the HTTP client and the platform services alike,
 * so one `grep '"runId":42'` over the fleet's logs finds the whole run (createLogger's mixin reads this).
 * @example await withLogScope({ runId: 42 }, () => executeIt());
 */
const scope = new AsyncLocalStorage<Record<string, unknown>>();

export function withLogScope<T>(fields: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  return scope.run({ ...(scope.getStore() ?? {}), ...fields }, fn);
}

export function logScopeFields(): Record<string, unknown> {
  return scope.getStore() ?? {};
}
