import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { TimeZoneInput, formatInZone } from '../../components/time-zone-input.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';
import { engineApi } from './engine-api.ts';
import type { ActionInfo } from './use-connection.ts';


/** Configure Schedule: enable, start date and time in a time zone, every N days (or hours where allowed). */
export function SchedulePane({ connectionId, action }: { connectionId: number; action: ActionInfo }) {
  const schedule = useApi((signal) => engineApi.getSchedule(connectionId, action.id, signal), [connectionId, action.id]);
  const [enabled, setEnabled] = useState(false);
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [time, setTime] = useState('02:00');
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [everyN, setEveryN] = useState(1);
  const [unit, setUnit] = useState<'days' | 'hours'>('days');
  const [saved, setSaved] = useState(false);
  const units = action.scheduleUnits?.length ? action.scheduleUnits : ['days' as const];

  useEffect(() => {
    const s = schedule.data;
    if (!s) return;
    setEnabled(Boolean(s.enabled));
    const start = s.startLocal;
    if (start) {
      setDate(start.slice(0, 10));
      setTime(start.slice(11, 16));
    }
    if (s.timeZone) setTimeZone(s.timeZone);
    if (s.every) setEveryN(s.every);
    if (s.unit) setUnit(s.unit);
  }, [schedule.data]);

  const save = useAction(async () => {
    await engineApi.putSchedule(connectionId, action.id, { enabled, startLocal: `${date}T${time}`, timeZone, every: everyN, unit });
    setSaved(true);
    schedule.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void save.run();
  };
  const s = schedule.data;
  // 404: this action has no schedule yet (the form starts from defaults).
  const none = !schedule.data && schedule.error instanceof ApiError && schedule.error.status === 404;
  return (
    <div>
      <h2>Configure Schedule — {action.displayName}</h2>
      <LoadState loading={schedule.loading && !schedule.data} error={none ? undefined : schedule.error} />
      {none ? <p className="muted">No schedule yet.</p> : null}
      {schedule.data || none ? <form className="stack card" onSubmit={submit}>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enable Schedule
        </label>
        <div className="row">
          <label>
            Start date
            <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <label>
            Start time
            <input type="time" required value={time} onChange={(e) => setTime(e.target.value)} />
          </label>
          <TimeZoneInput value={timeZone} onChange={setTimeZone} />
        </div>
        <div className="row">
          <label>
            Every
            <input type="number" min={1} required value={everyN} onChange={(e) => setEveryN(Number(e.target.value))} />
          </label>
          <label>
            Unit
            <select value={unit} onChange={(e) => setUnit(e.target.value as 'days' | 'hours')}>
              {units.map((u) => (
                <option key={u} value={u}>{u === 'days' ? 'Days' : 'Hours'}</option>
              ))}
            </select>
          </label>
        </div>
        {s?.nextDueAt && s.enabled ? <p className="muted" data-testid="next-run">Next run: {formatInZone(String(s.nextDueAt), s.timeZone)}</p> : null}
        {s && !s.enabled ? <p className="muted">The schedule is off: runs start only on demand.</p> : null}
        <ErrorMessage error={save.error} />
        {saved ? <div className="ok-box" role="status">Schedule saved.</div> : null}
        <div className="row">
          <button type="submit" className="primary" disabled={save.busy}>Save schedule</button>
        </div>
      </form> : null}
    </div>
  );
}
