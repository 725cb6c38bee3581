import { AuthErrors } from './errors.ts';
import type { TokenSet } from './token-store.ts';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/**
 * POSTs to an OAuth 2.0 token endpoint (RFC 6749 §3.2: form-encoded; §2.3.1: client authentication in the
 * Authorization header or in the body) and reads a §5.1 answer into a TokenSet. §5.2 errors become codes:
 * `invalid_grant` (a refresh token or code the server no longer accepts) -> NEEDS_REAUTHORIZATION,
 * `invalid_client` -> INVALID_CLIENT, 429 and 5xx -> TOKEN_REQUEST_FAILED (retryable), others -> TOKEN_REQUEST_REFUSED.
 * Neither the secret nor the tokens ever appear in an error's message.
 */
export async function requestToken(o: {
  tokenUrl: string;
  params: Record<string, string>;
  clientId?: string;
  clientSecret?: string;
  clientAuth?: ClientAuthMethod;
  now: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<TokenSet> {
  const body = new URLSearchParams(o.params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const method = o.clientAuth ?? 'client_secret_post';
  if (o.clientId !== undefined) {
    if (method === 'client_secret_basic' && o.clientSecret !== undefined) {
      // §2.3.1: each part form-urlencoded before Basic encoding.
      const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${enc(o.clientId)}:${enc(o.clientSecret)}`).toString('base64')}`;
    } else {
      body.set('client_id', o.clientId);
      if (method === 'client_secret_post' && o.clientSecret !== undefined) body.set('client_secret', o.clientSecret);
    }
  }
  const where = new URL(o.tokenUrl);
  const at = `${where.origin}${where.pathname}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(o.tokenUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(o.timeoutMs ?? 30_000) });
  } catch (e) {
    throw AuthErrors.TOKEN_REQUEST_FAILED.create({ detail: `${at} could not be reached (${(e as Error).name === 'TimeoutError' ? 'timed out' : ((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message)})` });
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Some servers answer errors in HTML; the status says enough.
  }
  if (!res.ok || typeof json.error === 'string') {
    const error = typeof json.error === 'string' ? json.error : `HTTP ${res.status}`;
    const description = typeof json.error_description === 'string' ? `: ${json.error_description.slice(0, 300)}` : '';
    const detail = `${at} answered ${error}${description}`;
    if (error === 'invalid_grant') throw AuthErrors.NEEDS_REAUTHORIZATION.create({ detail, data: { oauthError: error } });
    if (error === 'invalid_client' || error === 'unauthorized_client') throw AuthErrors.INVALID_CLIENT.create({ detail, data: { oauthError: error } });
    const failed = res.status === 429 || res.status >= 500 ? AuthErrors.TOKEN_REQUEST_FAILED : AuthErrors.TOKEN_REQUEST_REFUSED;
    throw failed.create({ detail, data: { oauthError: error, status: res.status } });
  }
  if (typeof json.access_token !== 'string' || json.access_token === '') throw AuthErrors.BAD_TOKEN_RESPONSE.create({ detail: `${at} sent no access_token` });
  const expiresIn = Number(json.expires_in);
  const extra: Record<string, string> = {};
  for (const k of ['instance_url', 'id', 'id_token'] as const) if (typeof json[k] === 'string') extra[k] = json[k] as string;
  return {
    accessToken: json.access_token,
    ...(typeof json.refresh_token === 'string' ? { refreshToken: json.refresh_token } : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: o.now + expiresIn * 1000 } : {}),
    ...(typeof json.token_type === 'string' ? { tokenType: json.token_type } : {}),
    ...(typeof json.scope === 'string' ? { scope: json.scope } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
