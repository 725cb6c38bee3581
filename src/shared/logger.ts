import { pino, type DestinationStream, type Logger } from 'pino';
import { logScopeFields } from './log-scope.ts';

export type { Logger };

/**
 * Paths redacted from every log line. Secrets are also never put in log objects on purpose; this is the
 * second line of defence (settings objects, auth headers).
 */
export const redactPaths = [
  'password', '*.password', 'secret', '*.secret', '*.secrets', 'secrets', 'token', '*.token', '*.privateKey',
  'privateKey', 'clientSecret', '*.clientSecret', 'req.headers.authorization', 'headers.authorization',
  '*.settings.*', 'settings',
];

/** A pino logger; every line written inside withLogScope carries that scope's fields (e.g. runId). */
export function createLogger(level = process.env.LMC_LOG_LEVEL ?? 'info', name = 'lmc', destination?: DestinationStream): Logger {
  const opts = { name, level, redact: { paths: redactPaths, censor: '[redacted]' }, mixin: logScopeFields };
  return destination ? pino(opts, destination) : pino(opts);
}
