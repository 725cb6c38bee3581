import { OptionsEditor } from './options-editor.tsx';
import type { ActionInfo } from './use-connection.ts';

/** Filters: which records the action takes (hierarchy under managers, column values); saved with the action. */
export function FiltersPane({ connectionId, action }: { connectionId: number; action: ActionInfo }) {
  return <OptionsEditor connectionId={connectionId} action={action} title="Filters" />;
}
