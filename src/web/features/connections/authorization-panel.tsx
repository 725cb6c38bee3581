import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';

/**
 * For connectors whose admin signs in at the vendor: whether this connection is connected, and Connect, which
 * opens the vendor's sign-in page; the vendor sends the browser back here with the result in the address.
 */
export function AuthorizationPanel({ connectionId, vendor }: { connectionId: number; vendor: string }) {
  const status = useApi((signal) => api.get('/api/v1/connections/{id}/authorization', { params: { id: connectionId }, signal }), [connectionId]);
  const connect = useAction(async () => {
    const r = await api.post('/api/v1/connections/{id}/authorize', { params: { id: connectionId } });
    window.location.assign(r.url);
  });
  const q = new URLSearchParams(window.location.search);
  const returned = q.get('authorized') === '1';
  const refused = q.get('authorizationError');
  const s = status.data?.state;
  return (
    <section className="card stack" aria-labelledby="authorization-heading">
      <h3 id="authorization-heading">Access to {vendor}</h3>
      {s === 'connected' ? <p className="ok-box" role="status">Connected: {vendor} allowed this connection to read and write on your behalf.{returned ? ' Access was granted just now.' : ''}</p> : null}
      {s === 'not_connected' ? <p>Not connected yet. Connect opens {vendor}'s sign-in page: sign in with an administrator account there and allow access.</p> : null}
      {s === 'needs_reauthorization' ? (
        <p className="error-box" role="alert">{vendor} no longer accepts this connection's access ({status.data?.reason}). Its runs fail until you connect it again.</p>
      ) : null}
      {refused ? <p className="error-box" role="alert">Connecting did not work: {refused}</p> : null}
      <ErrorMessage error={status.error ?? connect.error} />
      <div className="row">
        <button type="button" className={s === 'connected' ? undefined : 'primary'} onClick={() => void connect.run()} disabled={connect.busy || !status.data}>
          {s === 'connected' ? `Connect to ${vendor} again` : `Connect to ${vendor}`}
        </button>
      </div>
    </section>
  );
}
