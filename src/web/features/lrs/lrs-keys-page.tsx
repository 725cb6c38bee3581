import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction, useApi } from '../../lib/use-api.ts';

type XapiVersion = '2.0.0' | '1.0.3';

/** The key's xAPI version in an admin's words (the API's values are version numbers). */
const VERSION_LABEL: Record<XapiVersion, string> = {
  '2.0.0': 'xAPI 2.0 (current standard)',
  '1.0.3': 'xAPI 1.0.3 (earlier content and tools)',
};

/** Settings > LRS keys: HTTP Basic credentials of the xAPI endpoint; the secret is shown once. */
export function LrsKeysPage() {
  const keys = useApi((signal) => api.get('/api/v1/lrs-credentials', { signal }), []);
  const [name, setName] = useState('');
  const [write, setWrite] = useState(true);
  const [version, setVersion] = useState<XapiVersion>('2.0.0');
  const [created, setCreated] = useState<{ key: string; secret: string }>();
  const [revoke, setRevoke] = useState<number>();
  const create = useAction(async () => {
    const r = await api.post('/api/v1/lrs-credentials', { body: { name, scopes: write ? ['read', 'write'] : ['read'], version } });
    setCreated({ key: r.key, secret: r.secret });
    setName('');
    keys.reload();
  });
  const del = useAction(async (id: number) => {
    await api.delete('/api/v1/lrs-credentials/{id}', { params: { id } });
    keys.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  return (
    <section aria-labelledby="lrs-title">
      <h1 id="lrs-title">Settings › LRS keys</h1>
      <p className="muted">xAPI clients send statements to <span className="code">{location.origin}/xapi/</span> with one of these keys as HTTP Basic credentials.</p>
      <form className="row card" onSubmit={submit}>
        <label>Name<input required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label>xAPI version its clients use
          <select value={version} onChange={(e) => setVersion(e.target.value as XapiVersion)}>
            {(Object.keys(VERSION_LABEL) as XapiVersion[]).map((v) => <option key={v} value={v}>{VERSION_LABEL[v]}</option>)}
          </select>
        </label>
        <label className="check"><input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} />may write statements</label>
        <button type="submit" className="primary" disabled={create.busy}>Create key</button>
      </form>
      <p className="muted">Each request names the xAPI version it uses and is answered in that version. Choose the version the key&apos;s content uses: a request that names none is refused, and the refusal says the LRS speaks the key&apos;s version.</p>
      <ErrorMessage error={create.error ?? del.error} />
      {created ? (
        <div className="ok-box" role="status">
          Key <span className="code">{created.key}</span>, secret <span className="code">{created.secret}</span> — copy the secret now: it is not shown again.
        </div>
      ) : null}
      <LoadState loading={keys.loading && !keys.data} error={keys.error} />
      {keys.data ? (
        <div className="table-wrap" style={{ marginTop: '1rem' }}>
          <table>
            <thead><tr><th>Name</th><th>Key</th><th>Scopes</th><th>xAPI version</th><th>Created</th><th>Last used</th><th></th></tr></thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td className="code">{k.key}</td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{VERSION_LABEL[k.version]}</td>
                  <td>{formatDate(String(k.created_at))}</td>
                  <td>{k.last_used_at ? formatDate(String(k.last_used_at)) : '—'}</td>
                  <td>{k.revoked_at ? 'revoked' : <button type="button" onClick={() => setRevoke(k.id)}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog open={revoke !== undefined} title="Revoke this LRS key?" confirmLabel="Revoke" danger onCancel={() => setRevoke(undefined)} onConfirm={() => { const id = revoke!; setRevoke(undefined); void del.run(id); }}>
        <p>xAPI clients using it are refused within seconds.</p>
      </ConfirmDialog>
    </section>
  );
}
