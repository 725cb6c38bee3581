import type { ReactElement } from 'react';
import { ImportUsersFilters } from './import-users-filters.tsx';
import { OptionsEditor } from './options-editor.tsx';
import { XapiImportPane } from '../xapi-import/xapi-import-pane.tsx';
import type { ActionEditor, ActionInfo } from './use-connection.ts';

type Props = { connectionId: number; action: ActionInfo };

/** The shared Filters editors, by the name an action declares in `screens.filters` (never by its id). */
const EDITORS: Partial<Record<ActionEditor, (p: Props) => ReactElement>> = {
  'user-import': (p) => <ImportUsersFilters connectionId={p.connectionId} actionId={p.action.id} />,
  'xapi-import': (p) => <XapiImportPane connectionId={p.connectionId} part="filters" />,
};

/** Filters: which records the action takes; saved with the action's options. */
export function FiltersPane(props: Props) {
  const editor = props.action.screens.filters;
  const render = editor ? EDITORS[editor] : undefined;
  if (render) return render(props);
  return <OptionsEditor connectionId={props.connectionId} action={props.action} title="Filters and options" />;
}
