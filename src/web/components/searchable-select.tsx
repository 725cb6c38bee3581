import { useId } from 'react';

/**
 * A searchable select: a text input with the options as suggestions (native datalist, so typing filters the
 * list and the keyboard works everywhere). The caller validates that the value is one of the options.
 */
export function SearchableSelect(props: { label: string; value: string; options: string[]; onChange(v: string): void; invalid?: boolean; placeholder?: string }) {
  const id = useId();
  return (
    <>
      <input
        aria-label={props.label}
        aria-invalid={props.invalid || undefined}
        list={`${id}-list`}
        value={props.value}
        placeholder={props.placeholder ?? 'Select a column'}
        onChange={(e) => props.onChange(e.target.value)}
        className={props.invalid ? 'invalid' : undefined}
      />
      <datalist id={`${id}-list`}>
        {props.options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
    </>
  );
}
