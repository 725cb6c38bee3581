import type { AppContext } from '../app-context.ts';
import { resolve } from '../kit/auth/auth-kind.ts';
import { memoryTokenStore } from '../kit/auth/token-store.ts';
import type { ConnectorDefinition } from '../kit/define-connector.ts';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../kit/http/client.ts';
import { connectionLimiter } from './connection-limiter.ts';
import { connectionTokenStore } from './token-store.ts';

const USER_AGENT = 'lmc-connectors/0.1';

/**
 * The vendor API client of one connection: the connector's `http` capability, signed with its `auth` kind.
 * A saved connection keeps its tokens in PostgreSQL, and its clients share the vendor's `limits` through the
 * connection's limiter in PostgreSQL (every run and worker together stay within them); settings being checked
 * before they are saved (connectionId 0) use tokens held in memory and limits of their own client.
 */
export function connectionHttpClient(
  ctx: AppContext,
  connector: ConnectorDefinition,
  settings: Record<string, unknown>,
  ids: { accountId: number; connectionId: number },
  extra: Pick<HttpClientOptions, 'signal' | 'onRetry' | 'counters'> = {},
): HttpClient {
  const http = connector.http;
  if (!http) throw new Error(`the connector ${connector.id} declares no vendor API (http)`);
  const tokens = ids.connectionId ? connectionTokenStore(ctx, ids.accountId, ids.connectionId) : memoryTokenStore();
  const auth = connector.auth?.open((settings.auth ?? {}) as never, { tokens, connection: settings, now: () => ctx.clock.now().getTime() });
  const ca = http.ca ? resolve(http.ca, settings) : undefined;
  return createHttpClient({
    baseUrl: resolve(http.baseUrl, settings),
    auth,
    limits: http.limits,
    ...(ids.connectionId && http.limits ? { limiter: connectionLimiter(ctx, ids.connectionId, http.limits) } : {}),
    retry: http.retry,
    classify: http.classify,
    headers: http.headers,
    userAgent: USER_AGENT,
    // Base URLs may come from an admin's settings: the operator's rule for private addresses applies.
    allowPrivate: ctx.config.outboundAllowPrivate,
    ...(ca ? { ca } : {}),
    ...extra,
  });
}
