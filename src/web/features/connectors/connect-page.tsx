import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { SchemaForm } from '../../components/schema-form.tsx';
import { connectionWidgets } from '../file-drops/ssh-key-widget.tsx';
import { Link, navigate } from '../../lib/router.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';
import { settingsSchemaOf, useConnector } from './use-connector.ts';

/**
 * Connect: a form generated from the connector's settings schema. Creating the connection runs its test
 * and opens the connection page, which shows the result (and the Test connection button).
 */
export function ConnectPage({ connectorId }: { connectorId: string }) {
  const connector = useConnector(connectorId);
  // A one-per-account connector (Learning Manager FTP) already connected: say so instead of offering the form.
  const existing = useApi((signal) => api.get('/api/v1/connections', { query: { connectorId }, signal }), [connectorId]);
  const [name, setName] = useState('');
  const [settings, setSettings] = useState<Record<string, unknown>>({});
  const create = useAction(async () => {
    const c = await api.post('/api/v1/connections', { body: { connectorId, name, settings } });
    navigate(`/connections/${c.id}/configure?test=1`);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const c = connector.data;
  const taken = c?.onePerAccount ? existing.data?.connections[0] : undefined;
  return (
    <section aria-labelledby="connect-title">
      <p><Link to="/">← Connectors</Link></p>
      <h1 id="connect-title">Connect {c?.displayName ?? connectorId}</h1>
      <LoadState loading={connector.loading && !c} error={connector.error} />
      {taken ? (
        <div className="card stack" role="status">
          <p>This account already has its {c?.displayName} connection, “{taken.name}”. An account has one, so a second cannot be added.</p>
          <p><Link to={`/connections/${taken.id}/configure`}>Open “{taken.name}”</Link> to change it.</p>
        </div>
      ) : c && !(c.onePerAccount && existing.loading) ? (
        <form className="stack card" onSubmit={submit}>
          <p className="muted">{c.description}</p>
          <label>
            Connection name <span className="req" aria-hidden>*</span>
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <SchemaForm schema={settingsSchemaOf(c)} value={settings} onChange={setSettings} idPrefix="connect" widgets={connectionWidgets} />
          <ErrorMessage error={create.error} />
          <div className="row">
            <button type="submit" className="primary" disabled={create.busy}>{create.busy ? 'Connecting…' : 'Connect'}</button>
            <Link to="/" className="button">Cancel</Link>
          </div>
        </form>
      ) : null}
    </section>
  );
}
