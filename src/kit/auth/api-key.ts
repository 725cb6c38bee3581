import { z } from 'zod';
import { secret } from '../define-connector.ts';
import type { AuthKind } from './auth-kind.ts';

const keySettings = z.object({ apiKey: secret(z.string().min(1).max(8192)) });
/**
 * An API key in a header (e.g. `X-API-Key`, or `Authorization` with a prefix) or in the query string.
 * @example apiKeyAuth({ in: 'header', name: 'Authorization', prefix: 'Token ' })
 */
export function apiKeyAuth(o: { in: 'header' | 'query'; name: string; prefix?: string }): AuthKind<z.infer<typeof keySettings>> {
  return {
    kind: 'api-key',
    displayName: 'API key',
    settings: keySettings,
    interactive: false,
    open: (s) => ({
      apply: async ({ url, headers }) => {
        const v = `${o.prefix ?? ''}${s.apiKey}`;
        if (o.in === 'header') headers.set(o.name, v);
        else url.searchParams.set(o.name, v);
      },
    }),
  };
}
