import { ImportUsersFilters } from './import-users-filters.tsx';
import { OptionsEditor } from './options-editor.tsx';
import { XapiImportPane } from '../xapi-import/xapi-import-pane.tsx';
import type { ActionInfo } from './use-connection.ts';

/** Filters: which records the action takes; saved with the action's options. */
export function FiltersPane({ connectionId, action }: { connectionId: number; action: ActionInfo }) {
  if (action.id === 'import-users') return <ImportUsersFilters connectionId={connectionId} actionId={action.id} />;
  if (action.id === 'import-xapi') return <XapiImportPane connectionId={connectionId} part="filters" />;
  return <OptionsEditor connectionId={connectionId} action={action} title="Filters and options" />;
}
