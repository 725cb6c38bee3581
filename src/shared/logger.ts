import { pino, type Logger } from 'pino';

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

export function createLogger(level = process.env.LMC_LOG_LEVEL ?? 'info', name = 'lmc'): Logger {
  return pino({ name, level, redact: { paths: redactPaths, censor: '[redacted]' } });
}
