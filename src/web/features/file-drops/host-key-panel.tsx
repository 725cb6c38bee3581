import { useState } from 'react';
import { ApiError, api, download } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction, useApi } from '../../lib/use-api.ts';

/**
 * Custom FTP: the SFTP server's pinned host key, a changed key waiting for acceptance (refused until the
 * admin accepts the fingerprint they checked), and the connection's public key for certificate login.
 */
export function HostKeyPanel({ connectionId, signsInWithKey }: { connectionId: number; signsInWithKey: boolean }) {
  const key = useApi((signal) => api.get('/api/v1/connections/{id}/host-key', { params: { id: connectionId }, signal }), [connectionId]);
  const [confirm, setConfirm] = useState(false);
  const accept = useAction(async (fingerprint: string) => {
    await api.post('/api/v1/connections/{id}/host-key/accept', { params: { id: connectionId }, body: { fingerprint } });
    key.reload();
  });
  const pub = useAction(() => download('/api/v1/connections/{id}/public-key', { id: connectionId }, `lmc-connection-${connectionId}.pub`));
  const k = key.data;
  const notYet = key.error instanceof ApiError && key.error.status === 404;
  return (
    <section className="card stack" aria-labelledby="hk-title" style={{ marginTop: '1rem' }}>
      <h2 id="hk-title">SFTP server host key</h2>
      {notYet ? <p className="muted">No host key pinned yet: it is pinned the first time the connection reaches its server (Test connection).</p> : <LoadState loading={key.loading && !k} error={key.error} />}
      {k ? (
        <dl className="facts">
          <dt>Server</dt><dd className="code">{k.host}:{k.port}</dd>
          <dt>Server key fingerprint</dt><dd className="code" data-testid="host-key">{k.keyType} {k.fingerprint}</dd>
          <dt>Pinned at</dt><dd>{formatDate(String(k.pinnedAt))}</dd>
        </dl>
      ) : null}
      {k?.pendingFingerprint ? (
        <div className="error-box" role="alert">
          The server now offers a different key: <span className="code">{k.pendingKeyType} {k.pendingFingerprint}</span> (seen {formatDate(String(k.pendingSeenAt))}).
          Connections are refused until you accept it.{' '}
          <button type="button" onClick={() => setConfirm(true)}>Accept the new key…</button>
        </div>
      ) : null}
      <ErrorMessage error={accept.error ?? pub.error} />
      {signsInWithKey ? <div className="row"><button type="button" onClick={() => void pub.run()}>Download this connection's public key</button></div> : null}
      <ConfirmDialog
        open={confirm}
        title="Accept the new host key?"
        confirmLabel="Accept"
        danger
        onCancel={() => setConfirm(false)}
        onConfirm={() => { setConfirm(false); void accept.run(k!.pendingFingerprint!); }}
      >
        <p>Accept <span className="code">{k?.pendingFingerprint}</span> only after the server's owner confirmed it: a changed key can mean someone is intercepting the connection.</p>
      </ConfirmDialog>
    </section>
  );
}
