import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Connection, Connector } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SchemaForm } from '../../components/schema-form.tsx';
import { hasFormat } from '../../components/json-schema.ts';
import { FtpAccountPanel } from '../file-drops/ftp-account-panel.tsx';
import { connectionWidgets } from '../file-drops/ssh-key-widget.tsx';
import { AuthorizationPanel } from './authorization-panel.tsx';
import { HostKeyPanel } from '../file-drops/host-key-panel.tsx';
import { navigate } from '../../lib/router.tsx';
import { useAction } from '../../lib/use-api.ts';
import { settingsSchemaOf } from '../connectors/use-connector.ts';

/**
 * Configure: name, enabled, the connector's settings (the form generated from its schema; secrets are never in
 * it unless the admin types a new one); Test connection; Delete; and the panels the connector's capabilities
 * bring (the hosted SFTP login, a remote server's host key, signing in at the vendor).
 */
export function ConfigurePane({ connection, connector, onSaved }: { connection: Connection; connector: Connector | undefined; onSaved(): void }) {
  const schema = settingsSchemaOf(connector);
  const [name, setName] = useState<string>(connection.name);
  const [enabled, setEnabled] = useState<boolean>(connection.enabled !== false);
  const [settings, setSettings] = useState<Record<string, unknown>>(connection.settings);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [testResult, setTestResult] = useState<{ ok: boolean; message: string; pending?: string }>();

  const save = useAction(async () => {
    await api.patch('/api/v1/connections/{id}', { params: { id: connection.id }, body: { name, enabled, settings } });
    setSaved(true);
    onSaved();
  });
  const test = useAction(async () => {
    setTestResult(undefined);
    const r = await api.post('/api/v1/connections/{id}/test', { params: { id: connection.id } });
    setTestResult({ ok: Boolean(r.ok), message: String(r.message ?? ''), pending: r.pending });
  });
  const del = useAction(async () => {
    await api.delete('/api/v1/connections/{id}', { params: { id: connection.id } });
    navigate(`/connectors/${connection.connectorId}/connections`);
  });

  // Right after Connect, the connection is tested once so the admin sees whether it works.
  useEffect(() => {
    if (new URLSearchParams(location.search).get('test') === '1') void test.run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection.id]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void save.run();
  };
  return (
    <div>
      <h2>Configure</h2>
      <form className="stack card" onSubmit={submit}>
        <label>
          Connection name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled (scheduled runs happen only while enabled)
        </label>
        <SchemaForm schema={schema} value={settings} onChange={setSettings} secretsSet={connection.secrets} idPrefix="cfg" widgets={connectionWidgets} choices={(list, query, signal) => api.get('/api/v1/connections/{id}/choices/{list}', { params: { id: connection.id, list }, query: query as never, signal })} />
        <ErrorMessage error={save.error} />
        {saved ? <div className="ok-box" role="status">Saved.</div> : null}
        <div className="row">
          <button type="submit" className="primary" disabled={save.busy}>Save</button>
          <button type="button" onClick={() => void test.run()} disabled={test.busy}>{test.busy ? 'Testing…' : 'Test connection'}</button>
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>Delete connection</button>
        </div>
        <div aria-live="polite">
          {testResult?.ok && testResult.pending ? (
            <div className="warn-box" role="status"><strong>Reached, but not ready yet</strong>: {testResult.pending}.</div>
          ) : testResult ? (
            <div className={testResult.ok ? 'ok-box' : 'error-box'} role="status">
              <strong>{testResult.ok ? 'Connection works' : 'Connection failed'}</strong>: {testResult.message}
            </div>
          ) : null}
          <ErrorMessage error={test.error ?? del.error} />
        </div>
      </form>
      {connector?.auth?.interactive ? <AuthorizationPanel connectionId={connection.id} vendor={connector.displayName} /> : null}
      {connector?.capabilities.sftp === 'hosted' ? <FtpAccountPanel onChanged={() => { if (testResult) void test.run(); }} /> : null}
      {connector?.capabilities.sftp === 'remote' ? <HostKeyPanel connectionId={connection.id} signsInWithKey={hasFormat(schema, 'ssh-private-key', settings)} /> : null}
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this connection?"
        confirmLabel="Delete"
        danger
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => { setConfirmDelete(false); void del.run(); }}
      >
        <p>Its schedules stop. The execution history is kept and comes back if a connection with the same name is created again.</p>
      </ConfirmDialog>
    </div>
  );
}
