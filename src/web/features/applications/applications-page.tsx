import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { formatDate } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';
import { SCOPE_LABEL, STATUS_LABEL } from './scope-labels.ts';

const SALESFORCE_DESCRIPTION = 'Learning inside Salesforce: catalog, recommendations, enrollments and announcements for Salesforce users';

type Pending = { kind: 'revoke' | 'delete'; id: number; name: string };

/**
 * Applications: OAuth applications that call the platform for the account (the Salesforce package among them).
 * Register, approve, issue a new secret, revoke, delete; the client secret is shown once, when it is made.
 */
export function ApplicationsPage() {
  const apps = useApi((signal) => api.get('/api/v1/oauth-apps', { signal }), []);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [redirects, setRedirects] = useState('');
  const [scopes, setScopes] = useState<string[]>(['learner:read']);
  const [shown, setShown] = useState<{ name: string; clientId: string; clientSecret: string }>();
  const [pending, setPending] = useState<Pending>();
  const create = useAction(async () => {
    const r = await api.post('/api/v1/oauth-apps', { body: { name, description, redirectUris: redirects.split(/\s+/).filter(Boolean), scopes: scopes as Array<'learner:read'> } });
    setShown({ name: r.name, clientId: r.clientId, clientSecret: r.clientSecret });
    setName('');
    setDescription('');
    setRedirects('');
    apps.reload();
  });
  const act = useAction(async (what: 'approve' | 'secret' | 'revoke' | 'delete', id: number, appName: string) => {
    const params = { id };
    if (what === 'approve') await api.post('/api/v1/oauth-apps/{id}/approve', { params });
    else if (what === 'revoke') await api.post('/api/v1/oauth-apps/{id}/revoke', { params });
    else if (what === 'delete') await api.delete('/api/v1/oauth-apps/{id}', { params });
    else {
      const r = await api.post('/api/v1/oauth-apps/{id}/secret', { params });
      setShown({ name: appName, clientId: r.clientId, clientSecret: r.clientSecret });
    }
    apps.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const toggle = (s: string) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  return (
    <section aria-labelledby="apps-title">
      <h1 id="apps-title">Applications</h1>
      <p className="muted">
        Applications that work with this account&apos;s learning data through OAuth 2.0, such as the Salesforce app. Register one, approve it, and give its
        client ID and secret to whoever installs it. <Link to="/developer/access-tokens">Access Tokens for Testing and Development</Link> gets a refresh token by hand.
      </p>
      <div className="row" style={{ alignItems: 'center', marginBottom: '.75rem' }}>
        <span>Featured apps:</span>
        <button type="button" onClick={() => { setName('Salesforce'); setDescription(SALESFORCE_DESCRIPTION); setRedirects(''); setScopes(['admin:read', 'admin:write']); }}>Salesforce</button>
        <span className="muted">fills in the form for the Salesforce app package (see its set-up in the docs)</span>
      </div>
      <form className="card" onSubmit={submit} aria-label="Register an application" style={{ display: 'flex', flexDirection: 'column', gap: '.75rem' }}>
        <div className="row">
          <label>Name<input required value={name} onChange={(e) => setName(e.target.value)} /></label>
          <label>Description<input value={description} onChange={(e) => setDescription(e.target.value)} /></label>
        </div>
        <label>Redirect URLs (one per line; where people return after allowing access; none for an app set up by hand on the Access Tokens page)
          <textarea rows={2} value={redirects} onChange={(e) => setRedirects(e.target.value)} placeholder="https://myorg.my.salesforce.com/oauth/callback" />
        </label>
        <fieldset>
          <legend>What the application may ask for</legend>
          {Object.entries(SCOPE_LABEL).map(([s, label]) => (
            <label key={s} className="check"><input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} />{label}</label>
          ))}
        </fieldset>
        <div><button type="submit" className="primary" disabled={create.busy || scopes.length === 0}>Register application</button></div>
      </form>
      <ErrorMessage error={create.error ?? act.error} />
      {shown ? (
        <div className="ok-box" role="status" aria-label="Client credentials">
          <p><strong>{shown.name}</strong>: client ID <span className="code">{shown.clientId}</span>, client secret <span className="code">{shown.clientSecret}</span></p>
          <p>Copy the client secret now: it is not shown again. If it is lost, issue a new one.</p>
          <button type="button" onClick={() => setShown(undefined)}>I have copied it</button>
        </div>
      ) : null}
      <LoadState loading={apps.loading && !apps.data} error={apps.error} />
      {apps.data && apps.data.length === 0 ? <p className="muted">No application yet.</p> : null}
      {apps.data && apps.data.length > 0 ? (
        <div className="table-wrap" style={{ marginTop: '1rem' }}>
          <table aria-label="Applications">
            <thead><tr><th>Name</th><th>Client ID</th><th>Client secret</th><th>May ask for</th><th>Status</th><th>People who allowed it</th><th>Registered</th><th></th></tr></thead>
            <tbody>
              {apps.data.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}{a.description ? <div className="muted">{a.description}</div> : null}</td>
                  <td className="code">{a.clientId}</td>
                  <td className="code">{a.secretHint}</td>
                  <td>{a.scopes.map((s) => <div key={s}>{SCOPE_LABEL[s] ?? s}</div>)}</td>
                  <td>{STATUS_LABEL[a.status]}{a.approvedBy && a.status === 'approved' ? <div className="muted">by {a.approvedBy}</div> : null}</td>
                  <td>{a.activeGrants}</td>
                  <td>{formatDate(String(a.createdAt))}</td>
                  <td>
                    <div className="row">
                      {a.status === 'pending' ? <button type="button" className="primary" onClick={() => void act.run('approve', a.id, a.name)}>Approve</button> : null}
                      {a.status !== 'revoked' ? <button type="button" onClick={() => void act.run('secret', a.id, a.name)}>New secret</button> : null}
                      {a.status !== 'revoked' ? <button type="button" onClick={() => setPending({ kind: 'revoke', id: a.id, name: a.name })}>Revoke</button> : null}
                      <button type="button" onClick={() => setPending({ kind: 'delete', id: a.id, name: a.name })}>Delete</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog open={pending !== undefined} title={pending?.kind === 'delete' ? `Delete ${pending?.name}?` : `Revoke ${pending?.name}?`} confirmLabel={pending?.kind === 'delete' ? 'Delete' : 'Revoke'} danger
        onCancel={() => setPending(undefined)} onConfirm={() => { const p = pending!; setPending(undefined); void act.run(p.kind, p.id, p.name); }}>
        <p>The application stops working at once: its client secret and every access it was given are refused.</p>
      </ConfirmDialog>
    </section>
  );
}
