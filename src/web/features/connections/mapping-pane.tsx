import { OptionsEditor } from './options-editor.tsx';
import type { ActionInfo } from './use-connection.ts';

/** Mapping: platform columns to source columns. */
export function MappingPane({ connectionId, action }: { connectionId: number; action: ActionInfo }) {
  return <OptionsEditor connectionId={connectionId} action={action} title="Mapping" />;
}
