import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';

/** This page is also a redirect URL every application may use (src/platform/oauth/authorize.ts). */
const PAGE_PATH = '/developer/access-tokens';

/** This server's redirect URL for the page: the OAuth issuer (LMC_PUBLIC_URL) + the page's path. */
async function pageRedirectUri(): Promise<string> {
  const meta = (await (await fetch('/.well-known/oauth-authorization-server')).json()) as { issuer: string };
  return meta.issuer + PAGE_PATH;
}

/** The token endpoint answers RFC 6749 errors ({ error, error_description }), not the API's error shape. */
async function tokenRequest(body: Record<string, string>) {
  const res = await fetch('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  const data = (await res.json()) as { refresh_token?: string; access_token?: string; expires_in?: number; scope?: string; error?: string; error_description?: string };
  if (!res.ok) throw new Error(data.error_description ?? data.error ?? `HTTP ${res.status}`);
  return data;
}

/**
 * Developer Resources > Access Tokens for Testing and Development (the spec's set-up of the Salesforce package):
 * Get OAuth Code (client ID and scope; the signed-in admin allows it by submitting), then Get Refresh Token
 * (client ID, client secret and that code).
 */
export function AccessTokensPage({ query }: { query: URLSearchParams }) {
  const [clientId, setClientId] = useState('');
  const [scope, setScope] = useState('admin:read,admin:write');
  const [code, setCode] = useState(query.get('code') ?? '');
  const [secret, setSecret] = useState('');
  const [tokens, setTokens] = useState<{ refresh: string; access: string; minutes: number; scope: string }>();
  const [codeError, setCodeError] = useState(query.get('error_description') ?? '');
  useEffect(() => setCode(query.get('code') ?? ''), [query]);

  const getCode = useAction(async () => {
    setCodeError('');
    setCode('');
    const r = await api.post('/api/v1/oauth/authorize', { body: { response_type: 'code', client_id: clientId.trim(), redirect_uri: await pageRedirectUri(), scope, decision: 'allow' } });
    const back = new URL(r.redirectTo);
    if (back.searchParams.get('code')) setCode(back.searchParams.get('code')!);
    else setCodeError(back.searchParams.get('error_description') ?? back.searchParams.get('error') ?? 'no code was issued');
  });
  const getRefresh = useAction(async () => {
    const t = await tokenRequest({ grant_type: 'authorization_code', code: code.trim(), redirect_uri: await pageRedirectUri(), client_id: clientId.trim(), client_secret: secret.trim() });
    setTokens({ refresh: t.refresh_token!, access: t.access_token!, minutes: Math.round((t.expires_in ?? 0) / 60), scope: t.scope ?? '' });
    setSecret('');
  });
  const submit = (run: () => Promise<unknown>) => (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <section aria-labelledby="dev-title">
      <h1 id="dev-title">Developer Resources › Access Tokens for Testing and Development</h1>
      <p className="muted">Get a refresh token for an approved application by hand, for example to configure the Salesforce app. The application acts with your rights.</p>

      <form className="card" onSubmit={submit(getCode.run)} aria-labelledby="code-title" style={{ display: 'flex', flexDirection: 'column', gap: '.5rem' }}>
        <h2 id="code-title">Get OAuth Code</h2>
        <div className="row">
          <label>Client ID<input required value={clientId} onChange={(e) => setClientId(e.target.value)} /></label>
          <label>Scope<input required value={scope} onChange={(e) => setScope(e.target.value)} /></label>
        </div>
        <div><button type="submit" className="primary" disabled={getCode.busy}>Submit</button></div>
        <ErrorMessage error={getCode.error} />
        {codeError ? <div role="alert" className="error-box">{codeError}</div> : null}
        {code ? <div className="ok-box" role="status" aria-label="OAuth code">OAuth code <span className="code">{code}</span> — use it within two minutes, once.</div> : null}
      </form>

      <form className="card" onSubmit={submit(getRefresh.run)} aria-labelledby="refresh-title" style={{ display: 'flex', flexDirection: 'column', gap: '.5rem', marginTop: '1rem' }}>
        <h2 id="refresh-title">Get Refresh Token</h2>
        <div className="row">
          <label>Client ID<input required value={clientId} onChange={(e) => setClientId(e.target.value)} /></label>
          <label>Client secret<input required type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} /></label>
          <label>OAuth code<input required value={code} onChange={(e) => setCode(e.target.value)} /></label>
        </div>
        <div><button type="submit" className="primary" disabled={getRefresh.busy}>Submit</button></div>
        <ErrorMessage error={getRefresh.error} />
        {tokens ? (
          <div className="ok-box" role="status" aria-label="Tokens">
            <p>Refresh token <span className="code">{tokens.refresh}</span></p>
            <p>Access token <span className="code">{tokens.access}</span> (valid {tokens.minutes} minutes; scope {tokens.scope})</p>
            <p>Each use of the refresh token answers a new one that replaces it: the application must keep the newest.</p>
          </div>
        ) : null}
      </form>
    </section>
  );
}
