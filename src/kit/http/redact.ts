/**
 * Keeps credentials out of error messages and logs: query parameters that carry secrets are masked, user
 * info is dropped, and any value an AuthSession added to a request is scrubbed wherever it appears.
 */

const SECRET_PARAM = /(^|[-_])(key|apikey|api[-_]?key|token|access[-_]?token|refresh[-_]?token|id[-_]?token|secret|client[-_]?secret|password|passwd|pwd|sig|signature|auth|authorization|code|session|sessionid|assertion|code[-_]?verifier)$/i;

/** The URL as it may be shown: no user:password@, secret-looking (or listed) query values replaced by ***. */
export function redactUrl(url: URL | string, secretParams: Iterable<string> = []): string {
  const u = new URL(String(url));
  u.username = '';
  u.password = '';
  const extra = new Set([...secretParams].map((p) => p.toLowerCase()));
  const kept: Array<[string, string]> = [];
  u.searchParams.forEach((v, k) => kept.push([k, SECRET_PARAM.test(k) || extra.has(k.toLowerCase()) ? '***' : v]));
  u.search = '';
  for (const [k, v] of kept) u.searchParams.append(k, v);
  return u.toString().replace(/=\*\*\*/g, '=***').replace(/%2A%2A%2A/g, '***');
}

/** Replaces every occurrence of the given secret values (at least 4 characters) by ***. */
export function scrub(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

/**
 * What an AuthSession added to a request: header values (and their parts, e.g. the token after "Bearer ")
 * and query values, to scrub from anything we show; plus the names of the query parameters it set.
 */
export function addedSecrets(before: { url: URL; headers: Headers }, after: { url: URL; headers: Headers }): { values: string[]; params: string[] } {
  const values: string[] = [];
  const params: string[] = [];
  after.headers.forEach((v, k) => {
    if (before.headers.get(k) === v) return;
    values.push(v, ...v.split(/[\s,]+/).filter((p) => p.length >= 8));
    // Basic credentials: the decoded user:password too.
    const basic = /^Basic\s+(.+)$/i.exec(v);
    if (basic) {
      const dec = Buffer.from(basic[1], 'base64').toString();
      values.push(dec, ...dec.split(':'));
    }
  });
  for (const k of new Set(after.url.searchParams.keys())) {
    const vals = after.url.searchParams.getAll(k);
    if (JSON.stringify(before.url.searchParams.getAll(k)) === JSON.stringify(vals)) continue;
    params.push(k);
    values.push(...vals, ...vals.map(encodeURIComponent));
  }
  return { values, params };
}

/** The values of secret-looking (or listed) query parameters of a URL, to scrub from vendor messages. */
export function secretQueryValues(url: URL, secretParams: Iterable<string> = []): string[] {
  const extra = new Set([...secretParams].map((p) => p.toLowerCase()));
  const out: string[] = [];
  url.searchParams.forEach((v, k) => {
    if (SECRET_PARAM.test(k) || extra.has(k.toLowerCase())) out.push(v, encodeURIComponent(v));
  });
  return out;
}
