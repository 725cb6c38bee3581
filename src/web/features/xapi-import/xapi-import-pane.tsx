import { useEffect, useState } from 'react';
import { LoadState } from '../../components/error-message.tsx';
import { useApi } from '../../lib/use-api.ts';
import { ConfigurationsList } from './configurations-list.tsx';
import { ImportFilters } from './import-filters.tsx';
import { ImportMapping } from './import-mapping.tsx';
import { xapiImportApi } from './xapi-import-api.ts';

/**
 * The Import xAPI action's Mapping and Filters panes of a connection: the configurations list on top (add,
 * edit, delete: name and source file), then the chosen configuration's mapping or filters.
 */
export function XapiImportPane({ connectionId, part }: { connectionId: number; part: 'mapping' | 'filters' }) {
  const configs = useApi((signal) => xapiImportApi.list(connectionId, signal), [connectionId]);
  const [selected, setSelected] = useState<string>();
  useEffect(() => {
    if (configs.data && !configs.data.some((c) => c.id === selected)) setSelected(configs.data[0]?.id);
  }, [configs.data]);
  const config = configs.data?.find((c) => c.id === selected);
  const columns = useApi(
    async (signal) => (config ? (await xapiImportApi.columns(connectionId, config.sourceFileName, signal)).columns : []),
    [connectionId, config?.sourceFileName],
  );
  return (
    <div className="stack" style={{ maxWidth: 980 }}>
      <h2>{part === 'mapping' ? 'Mapping' : 'Filter'} — Import xAPI</h2>
      <p className="muted">Each row of a CSV file in <span className="code">import/xapi/</span> that passes the filters becomes an xAPI statement; re-imported rows are not duplicated.</p>
      <LoadState loading={configs.loading && !configs.data} error={configs.error ?? columns.error} />
      {configs.data ? <ConfigurationsList connectionId={connectionId} configs={configs.data} selected={selected} onSelect={setSelected} onChanged={configs.reload} /> : null}
      {config && part === 'mapping' ? <ImportMapping connectionId={connectionId} config={config} columns={columns.data ?? []} onSaved={configs.reload} /> : null}
      {config && part === 'filters' ? <ImportFilters connectionId={connectionId} config={config} columns={columns.data ?? []} onSaved={configs.reload} /> : null}
    </div>
  );
}
