import { useEffect, useState, type FormEvent } from 'react';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { SchemaForm, type JsonSchema } from '../../components/schema-form.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';
import { engineApi } from './engine-api.ts';
import type { ActionInfo } from './use-connection.ts';

/**
 * The action's saved options, edited through the form generated from its options schema (or as JSON when the
 * action publishes none). Used for actions without a dedicated mapping or filter screen.
 */
export function OptionsEditor({ connectionId, action, title }: { connectionId: number; action: ActionInfo; title: string }) {
  const options = useApi((signal) => engineApi.getOptions(connectionId, action.id, signal), [connectionId, action.id]);
  const [value, setValue] = useState<Record<string, unknown>>({});
  const [text, setText] = useState('{}');
  const [saved, setSaved] = useState(false);
  const [parseError, setParseError] = useState<Error>();
  const schema = action.optionsSchema as JsonSchema | undefined;
  useEffect(() => {
    const o = options.data?.options;
    if (!o) return;
    setValue(o);
    setText(JSON.stringify(o, null, 2));
  }, [options.data]);
  const save = useAction(async () => {
    let body = value;
    if (!schema?.properties) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch (e) {
        setParseError(e as Error);
        return;
      }
    }
    await engineApi.putOptions(connectionId, action.id, body);
    setSaved(true);
    options.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    setParseError(undefined);
    void save.run();
  };
  return (
    <div>
      <h2>{title} — {action.displayName}</h2>
      <LoadState loading={options.loading && !options.data} error={options.error} />
      {options.data ? <form className="stack card" onSubmit={submit}>
        {schema?.properties ? (
          <SchemaForm schema={schema} value={value} onChange={setValue} idPrefix="opt" />
        ) : (
          <label>
            Options (JSON)
            <textarea rows={10} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
          </label>
        )}
        <ErrorMessage error={parseError ?? save.error} />
        {saved ? <div className="ok-box" role="status">Saved.</div> : null}
        <div className="row"><button type="submit" className="primary" disabled={save.busy}>Save</button></div>
      </form> : null}
    </div>
  );
}
