import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A real OAuth 2.0 authorization server on loopback for the kit's tests, strict where the RFCs are: client
// authentication (RFC 6749 §2.3.1), PKCE S256 (RFC 7636), refresh tokens usable once (rotation), JWT bearer
// assertions (RFC 7523) verified with the app's public key. Its sign-in page (/authorize) approves at once
// and redirects back with a code, as an admin clicking "Allow" would.
export const CLIENT = { id: 'app-1', secret: 's3cret/+=' };

export interface OAuthServer {
  base: string;
  /** Form bodies of every token request, in order. */
  seen: Array<Record<string, string>>;
  /** code -> PKCE challenge */
  codes: Map<string, string>;
  liveRefresh: Set<string>;
  publicKey: crypto.KeyObject;
  privatePem: string;
  close(): Promise<void>;
}

export async function startOAuthServer(): Promise<OAuthServer> {
  const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const seen: Array<Record<string, string>> = [];
  const codes = new Map<string, string>();
  const liveRefresh = new Set<string>();
  let issued = 0;
  const issue = (withRefresh: boolean) => {
    const t: Record<string, unknown> = { access_token: `at-${++issued}`, token_type: 'Bearer', expires_in: 3600 };
    if (withRefresh) {
      const r = `rt-${issued}`;
      liveRefresh.add(r);
      t.refresh_token = r;
    }
    return t;
  };
  const clientOk = (p: Record<string, string>, auth: string | undefined): boolean => {
    if (auth?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString().split(':').map((v) => decodeURIComponent(v.replace(/\+/g, ' ')));
      return id === CLIENT.id && secret === CLIENT.secret;
    }
    return p.client_id === CLIENT.id && p.client_secret === CLIENT.secret;
  };
  const token = (p: Record<string, string>, auth: string | undefined): [number, Record<string, unknown>] => {
    const bad = (error: string, status = 400): [number, Record<string, unknown>] => [status, { error, error_description: `refused (${error})` }];
    switch (p.grant_type) {
      case 'client_credentials':
        return clientOk(p, auth) ? [200, issue(false)] : bad('invalid_client', 401);
      case 'authorization_code': {
        const challenge = codes.get(p.code);
        codes.delete(p.code);
        if (!clientOk(p, auth)) return bad('invalid_client', 401);
        if (!challenge || crypto.createHash('sha256').update(p.code_verifier ?? '').digest('base64url') !== challenge) return bad('invalid_grant');
        return [200, issue(true)];
      }
      case 'refresh_token':
        if (!clientOk(p, auth)) return bad('invalid_client', 401);
        if (!liveRefresh.delete(p.refresh_token)) return bad('invalid_grant');
        return [200, issue(true)];
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
        const [h, c, sig] = p.assertion.split('.');
        const ok = crypto.verify('sha256', Buffer.from(`${h}.${c}`), keys.publicKey, Buffer.from(sig, 'base64url'));
        const claims = JSON.parse(Buffer.from(c, 'base64url').toString());
        if (!ok || claims.iss !== CLIENT.id || claims.aud !== 'https://login.test' || claims.exp * 1000 < Date.now()) return bad('invalid_grant');
        return [200, issue(false)];
      }
      default:
        return bad('unsupported_grant_type');
    }
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const code = `code-${crypto.randomBytes(6).toString('hex')}`;
      codes.set(code, url.searchParams.get('code_challenge') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const p = Object.fromEntries(new URLSearchParams(body));
      seen.push(p);
      const [status, json] = token(p, req.headers.authorization);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    codes,
    liveRefresh,
    publicKey: keys.publicKey,
    privatePem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
