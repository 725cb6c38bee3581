import type { GetResult } from '../../api/client.ts';
import { formatInZone } from '../../components/time-zone-input.tsx';
import { formatDate } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { STATUS_LABEL } from './runs-table.tsx';

type Health = GetResult<'/api/v1/connections'>['connections'][number]['health'];

/**
 * A connection's health at a glance, as table cells: its last run (status, when, which action; linked to its
 * Execution Status) and its schedules (how often, in which time zone, and the next run there).
 */
export function HealthCells({ connectionId, health, actionName }: { connectionId: number; health: Health; actionName(id: string): string }) {
  const last = health.lastRun;
  const on = health.schedules.filter((s) => s.enabled);
  return (
    <>
      <td data-testid="last-run">
        {last ? (
          <>
            <Link to={`/connections/${connectionId}/status?action=${encodeURIComponent(last.actionId)}`}>
              <span className={`badge ${last.status}`}>{STATUS_LABEL[last.status] ?? last.status}</span>
            </Link>
            <div className="muted">{formatDate(String(last.at))} · {actionName(last.actionId)}{last.dryRun ? ' (preview)' : ''}</div>
          </>
        ) : <span className="muted">No run yet</span>}
      </td>
      <td data-testid="schedule">
        {on.length ? on.map((s) => (
          <div key={s.actionId}>
            {actionName(s.actionId)}: every {s.every === 1 ? (s.unit === 'days' ? 'day' : 'hour') : `${s.every} ${s.unit}`}
            <div className="muted">Next run {formatInZone(s.nextDueAt ? String(s.nextDueAt) : null, s.timeZone)}</div>
          </div>
        )) : <span className="muted">On demand only</span>}
      </td>
    </>
  );
}
