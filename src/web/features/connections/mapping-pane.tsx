import type { ReactElement } from 'react';
import { ImportUsersMapping } from './import-users-mapping.tsx';
import { ExportXapiMapping } from '../xapi-export/export-xapi-mapping.tsx';
import { OptionsEditor } from './options-editor.tsx';
import { XapiImportPane } from '../xapi-import/xapi-import-pane.tsx';
import type { ActionEditor, ActionInfo } from './use-connection.ts';

type Props = { connectionId: number; action: ActionInfo; userSource?: string };

/** The shared Mapping editors, by the name an action declares in `screens.mapping` (never by its id). */
const EDITORS: Record<ActionEditor, (p: Props) => ReactElement> = {
  'user-import': (p) => <ImportUsersMapping connectionId={p.connectionId} actionId={p.action.id} userSource={p.userSource} />,
  'xapi-export': (p) => <ExportXapiMapping connectionId={p.connectionId} actionId={p.action.id} />,
  'xapi-import': (p) => <XapiImportPane connectionId={p.connectionId} part="mapping" />,
};

/**
 * Mapping: the shared editor the action declares (the user import's Map Attributes page, the xAPI
 * configurations), else the form of its options. `userSource` (the connector's `users` capability, the
 * source's name): the user import's page offers the vendor's fields, not CSV columns.
 */
export function MappingPane(props: Props) {
  const editor = props.action.screens.mapping;
  if (editor) return EDITORS[editor](props);
  return <OptionsEditor connectionId={props.connectionId} action={props.action} title="Mapping and options" />;
}
