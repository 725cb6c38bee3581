import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';
import { ConfigEditor } from './config-editor.tsx';
import { xapiExportApi } from './xapi-export-api.ts';

/**
 * Settings › xAPI export: the account's export configurations (JSON path → column, with types), used by every
 * connection's "Export xAPI" action. Choose one to edit, or start a new one.
 */
export function XapiExportPage() {
  const configs = useApi((signal) => xapiExportApi.list(signal), []);
  const [own, setOwn] = useState<number | 'new'>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const current = own ?? configs.data?.[0]?.id ?? 'new';
  const choose = (id: number | 'new') => setOwn(id);
  const config = current === 'new' ? undefined : configs.data?.find((c) => c.id === current);
  const del = useAction(async (id: number) => {
    await xapiExportApi.remove(id);
    choose('new');
    configs.reload();
  });
  return (
    <section aria-labelledby="xapi-export-title">
      <h1 id="xapi-export-title">Settings › xAPI export</h1>
      <p className="muted">
        Which parts of the stored xAPI statements become which CSV columns. The "Export xAPI" action of a file-drop connection (FTP, Custom FTP,
        Box, local directory) writes the statements of its period with one of these configurations.
      </p>
      <LoadState loading={configs.loading && !configs.data} error={configs.error} />
      {configs.data ? (
        <div className="row card">
          <label>
            Configuration
            <select value={String(current)} onChange={(e) => choose(e.target.value === 'new' ? 'new' : Number(e.target.value))}>
              {configs.data.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              <option value="new">New configuration…</option>
            </select>
          </label>
          {config ? <button type="button" onClick={() => setConfirmDelete(true)}>Delete</button> : null}
        </div>
      ) : null}
      <ErrorMessage error={del.error} />
      {configs.data ? (
        <ConfigEditor config={config} onSaved={(c) => { configs.reload(); choose(c.id); }} />
      ) : null}
      <ConfirmDialog open={confirmDelete} title="Delete this configuration?" confirmLabel="Delete" danger onCancel={() => setConfirmDelete(false)} onConfirm={() => { setConfirmDelete(false); if (config) void del.run(config.id); }}>
        <p>Export actions that use it fail until they are given another configuration.</p>
      </ConfirmDialog>
    </section>
  );
}
