/**
 * What went wrong below HTTP, read from fetch's error (undici puts the socket error in `cause`), and whether
 * the request may already have reached the server (then only an idempotent request is sent again).
 */
export interface NetworkFailure {
  /** ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET, TIMEOUT, a TLS code... */
  code: string;
  /** False when the connection never opened: sending again cannot do anything twice. */
  mayHaveBeenSent: boolean;
  /** A certificate problem: retrying will not help. */
  tls: boolean;
  message: string;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CONNECT']);
const TLS = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ALTNAME/;

export function networkFailure(e: unknown): NetworkFailure {
  const chain: Array<Record<string, unknown>> = [];
  for (let x: unknown = e; x && typeof x === 'object' && chain.length < 5; x = (x as { cause?: unknown }).cause) chain.push(x as Record<string, unknown>);
  const withCode = chain.find((x) => typeof x.code === 'string' && x.code !== 'UND_ERR' && x.code !== 'ABORT_ERR');
  const timeout = chain.some((x) => x.name === 'TimeoutError');
  const code = timeout ? 'TIMEOUT' : String(withCode?.code ?? (chain.some((x) => /socket hang up/i.test(String(x.message))) ? 'ECONNRESET' : 'NETWORK'));
  const message = String((withCode ?? chain[chain.length - 1])?.message ?? e);
  return { code, mayHaveBeenSent: !NOT_SENT.has(code), tls: TLS.test(code), message };
}
