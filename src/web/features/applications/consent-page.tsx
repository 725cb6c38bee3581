import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';
import { useMe } from '../auth/use-me.ts';

const PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

/**
 * The authorization endpoint (/oauth/authorize, RFC 6749 §4.1.1) as a consent screen: the app shell has already
 * made the person sign in (and brought them back here). The server checks the request; a request the client must
 * hear about goes straight back to it, one it must not (an unknown client or redirect URL) is shown here.
 */
export function ConsentPage({ query }: { query: URLSearchParams }) {
  const me = useMe();
  const request = Object.fromEntries(PARAMS.filter((k) => query.has(k)).map((k) => [k, query.get(k)!]));
  const [consent, setConsent] = useState<{ app?: { name: string; description: string }; scopes?: Array<{ scope: string; label: string }> }>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    api.get('/api/v1/oauth/authorization-request', { query: request }).then((r) => {
      if (r.redirectTo) location.assign(r.redirectTo);
      else setConsent(r);
    }, setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query.toString()]);
  const decide = useAction(async (decision: 'allow' | 'deny') => {
    const r = await api.post('/api/v1/oauth/authorize', { body: { ...request, decision } });
    location.assign(r.redirectTo);
  });
  if (error) return <section><h1>This application cannot be authorized</h1><ErrorMessage error={error} /></section>;
  if (!consent?.app) return <p className="muted" aria-live="polite">Checking the request…</p>;
  return (
    <section aria-labelledby="consent-title" className="card" style={{ maxWidth: '40rem' }}>
      <h1 id="consent-title">Allow {consent.app.name} to use your learning account?</h1>
      {consent.app.description ? <p>{consent.app.description}</p> : null}
      <p>Signed in as <strong>{me.email}</strong>. {consent.app.name} will be able to:</p>
      <ul>{consent.scopes?.map((s) => <li key={s.scope}>{s.label}</li>)}</ul>
      <p className="muted">You can take this back at any time: an admin revokes the application under Applications.</p>
      <ErrorMessage error={decide.error} />
      <div className="row">
        <button type="button" className="primary" disabled={decide.busy} onClick={() => void decide.run('allow')}>Allow</button>
        <button type="button" disabled={decide.busy} onClick={() => void decide.run('deny')}>Deny</button>
      </div>
    </section>
  );
}
