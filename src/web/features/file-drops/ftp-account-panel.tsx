import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction, useApi } from '../../lib/use-api.ts';

/**
 * The hosted SFTP login of the account (Learning Manager FTP): where to connect, the folders, the password
 * state, the server's host-key fingerprint (to check on first login), a one-time reset link for the responsible
 * person, and SSH public keys (removing one asks first).
 */
export function FtpAccountPanel({ onChanged }: { onChanged?(): void }) {
  const account = useApi((signal) => api.get('/api/v1/ftp/account', { signal }), []);
  const [link, setLink] = useState<{ url: string; expiresAt: string }>();
  const [publicKey, setPublicKey] = useState('');
  const [confirmRemove, setConfirmRemove] = useState<{ id: number; fingerprint: string }>();
  const reset = useAction(async () => {
    const r = await api.post('/api/v1/ftp/account/reset-link');
    setLink({ url: new URL(r.link, location.origin).toString(), expiresAt: String(r.expiresAt) });
    account.reload();
  });
  const addKey = useAction(async () => {
    await api.post('/api/v1/ftp/account/public-keys', { body: { publicKey } });
    setPublicKey('');
    account.reload();
    onChanged?.();
  });
  const removeKey = useAction(async (id: number) => {
    await api.delete('/api/v1/ftp/account/public-keys/{id}', { params: { id } });
    account.reload();
    onChanged?.();
  });
  const a = account.data;
  const submitKey = (e: FormEvent) => {
    e.preventDefault();
    void addKey.run();
  };
  return (
    <section className="card stack" aria-labelledby="ftp-title" style={{ marginTop: '1rem' }}>
      <h2 id="ftp-title">Learning Manager FTP login</h2>
      <LoadState loading={account.loading && !a} error={account.error} />
      {a ? (
        <>
          <dl className="facts">
            <dt>Host</dt><dd className="code">{location.hostname}</dd>
            <dt>Port</dt><dd className="code">{a.sftpPort}</dd>
            <dt>Protocol</dt><dd>SFTP – SSH File Transfer Protocol</dd>
            <dt>Server key fingerprint</dt><dd className="code" data-testid="ftp-host-key">{a.hostKeyFingerprint ?? 'made when the SFTP service first starts'}</dd>
            <dt>User name</dt><dd className="code" data-testid="ftp-username">{a.username}</dd>
            <dt>Responsible person</dt><dd>{a.email}</dd>
            <dt>Password</dt><dd>{a.hasPassword ? 'set' : 'not set yet'}{a.resetPending ? ' (a reset link is pending)' : ''}</dd>
            <dt>Folders</dt><dd>{a.folders.map((f) => <div key={f} className="code">{f}</div>)}</dd>
          </dl>
          <div className="row">
            <button type="button" onClick={() => void reset.run()} disabled={reset.busy}>Create a password reset link</button>
          </div>
          <ErrorMessage error={reset.error} />
          {link ? (
            <div className="ok-box" role="status">
              Give this one-time link to {a.email} (valid until {formatDate(link.expiresAt)}; earlier links stop working):
              <div><a href={link.url} className="code" style={{ wordBreak: 'break-all' }}>{link.url}</a></div>
            </div>
          ) : null}
          <h3>SSH public keys</h3>
          {a.publicKeys.length ? (
            <ul>
              {a.publicKeys.map((k) => (
                <li key={k.id}>
                  <span className="code">{k.algorithm} {k.fingerprint}</span> {k.comment}{' '}
                  <button type="button" onClick={() => setConfirmRemove({ id: k.id, fingerprint: k.fingerprint })} aria-label={`Remove key ${k.fingerprint}`}>Remove…</button>
                </li>
              ))}
            </ul>
          ) : <p className="muted">No key: the login uses its password.</p>}
          <form onSubmit={submitKey} className="stack">
            <label>
              Add a public key (OpenSSH line)
              <textarea rows={2} value={publicKey} required onChange={(e) => setPublicKey(e.target.value)} spellCheck={false} />
            </label>
            <div><button type="submit" disabled={addKey.busy}>Add key</button></div>
          </form>
          <ErrorMessage error={addKey.error ?? removeKey.error} />
        </>
      ) : null}
      <ConfirmDialog
        open={confirmRemove !== undefined}
        title="Remove this SSH key?"
        confirmLabel="Remove key"
        danger
        onCancel={() => setConfirmRemove(undefined)}
        onConfirm={() => { const k = confirmRemove!; setConfirmRemove(undefined); void removeKey.run(k.id); }}
      >
        <p>Systems that log in with the key <span className="code">{confirmRemove?.fingerprint}</span> can no longer upload or read files.</p>
      </ConfirmDialog>
    </section>
  );
}
