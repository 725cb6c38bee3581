import { ImportUsersMapping } from './import-users-mapping.tsx';
import { ExportXapiMapping } from '../xapi-export/export-xapi-mapping.tsx';
import { OptionsEditor } from './options-editor.tsx';
import { XapiImportPane } from '../xapi-import/xapi-import-pane.tsx';
import type { ActionInfo } from './use-connection.ts';

/**
 * Mapping: the user import's Map Attributes page, or the action's options for other actions. `userSource`
 * (the connector's `users` capability, the source's name): the page offers the vendor's fields, not CSV columns.
 */
export function MappingPane({ connectionId, action, userSource }: { connectionId: number; action: ActionInfo; userSource?: string }) {
  if (action.id === 'import-users') return <ImportUsersMapping connectionId={connectionId} actionId={action.id} userSource={userSource} />;
  if (action.id === 'export-xapi') return <ExportXapiMapping connectionId={connectionId} actionId={action.id} />;
  if (action.id === 'import-xapi') return <XapiImportPane connectionId={connectionId} part="mapping" />;
  return <OptionsEditor connectionId={connectionId} action={action} title="Mapping and options" />;
}
