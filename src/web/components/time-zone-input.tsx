import { useId } from 'react';

/** The IANA time zones this browser knows (Europe/Paris, America/New_York, ...). */
export const TIME_ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

/**
 * A searchable time-zone picker: typing "paris" or "new york" offers the matching zones (native datalist, so the
 * keyboard works everywhere); a value that is not a known zone is marked invalid and explained.
 */
export function TimeZoneInput({ value, onChange }: { value: string; onChange(v: string): void }) {
  const id = useId();
  const known = TIME_ZONES.includes(value) || value === 'UTC';
  return (
    <div className="field">
      <label htmlFor={`${id}-tz`}>Time zone</label>
      <input
        id={`${id}-tz`}
        list={`${id}-zones`}
        value={value}
        required
        autoComplete="off"
        placeholder="Type a city, e.g. Paris"
        aria-invalid={!known || undefined}
        aria-describedby={`${id}-help`}
        className={known ? undefined : 'invalid'}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={`${id}-zones`}>
        {TIME_ZONES.map((z) => <option key={z} value={z}>{z.replace(/_/g, ' ')}</option>)}
      </datalist>
      <small id={`${id}-help`} className="muted">{known ? `Now ${new Date().toLocaleTimeString(undefined, { timeZone: value, hour: '2-digit', minute: '2-digit', timeZoneName: 'short' })} there.` : 'Not a known time zone: pick one from the list (a city such as Europe/Paris).'}</small>
    </div>
  );
}

/** A date and time shown in a time zone, with the zone named ("1 Dec 2026, 02:30 CET (Europe/Paris)"). */
export function formatInZone(v: string | Date | null | undefined, timeZone: string): string {
  if (!v) return '—';
  const d = new Date(v);
  try {
    return `${d.toLocaleString(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'short' })} (${timeZone.replace(/_/g, ' ')})`;
  } catch {
    return d.toLocaleString();
  }
}
