import { useEffect, useState } from 'react';
import { LoadState } from '../../components/error-message.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { engineApi } from '../connections/engine-api.ts';
import { ConfigEditor } from './config-editor.tsx';
import { xapiExportApi } from './xapi-export-api.ts';

/**
 * The "Configuration" of a connection's Export xAPI action: which export configuration it uses (edited right
 * here: JSON path / column / type rows), whether to zip, and the folder under export/: one form, one Save.
 */
export function ExportXapiMapping({ connectionId, actionId }: { connectionId: number; actionId: string }) {
  const options = useApi((signal) => engineApi.getOptions(connectionId, actionId, signal), [connectionId, actionId]);
  const configs = useApi((signal) => xapiExportApi.list(signal), []);
  const [configurationId, setConfigurationId] = useState<number | 'new'>('new');
  const [zip, setZip] = useState(false);
  const [location, setLocation] = useState('xapi');
  useEffect(() => {
    const o = options.data?.options as { configurationId?: number; zip?: boolean; location?: string } | undefined;
    if (!o) return;
    setZip(Boolean(o.zip));
    setLocation(o.location ?? 'xapi');
    if (o.configurationId) setConfigurationId(o.configurationId);
    else if (configs.data?.[0]) setConfigurationId(configs.data[0].id);
    // Not on every reload of the configurations: a configuration just created here stays selected.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [options.data, Boolean(configs.data)]);
  const config = configurationId === 'new' ? undefined : configs.data?.find((c) => c.id === configurationId);
  return (
    <div className="stack">
      <h2>Configuration — Export xAPI</h2>
      <p className="muted">
        Each statement stored in the run's period becomes a CSV row in <span className="code">export/{location || '…'}/xapi_statements_&lt;from&gt;_to_&lt;to&gt;.csv</span>.
        Configurations are shared by all connections (<Link to="/settings/xapi-export">Settings › xAPI export</Link>).
      </p>
      <LoadState loading={(options.loading && !options.data) || (configs.loading && !configs.data)} error={options.error ?? configs.error} />
      {options.data && configs.data ? (
        <>
          <ConfigEditor
            config={config}
            onSaved={(c) => { configs.reload(); setConfigurationId(c.id); options.reload(); }}
            // One Save: the configuration (new or changed), then this connection's use of it.
            afterSave={(c) => engineApi.putOptions(connectionId, actionId, { configurationId: c.id, zip, location }).then(() => undefined)}
            savedText={(c) => `Saved. The Export xAPI action of this connection uses “${c.name}”.`}
          >
            <label>
              Export configuration
              <select value={String(configurationId)} onChange={(e) => setConfigurationId(e.target.value === 'new' ? 'new' : Number(e.target.value))}>
                {configs.data.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                <option value="new">New configuration…</option>
              </select>
            </label>
            <label>Folder under export/<input value={location} onChange={(e) => setLocation(e.target.value)} /></label>
            <label className="check"><input type="checkbox" checked={zip} onChange={(e) => setZip(e.target.checked)} />Zip the file</label>
          </ConfigEditor>
        </>
      ) : null}
    </div>
  );
}
