/**
 * The durable timers of a run whose state lists them (an appointment's reminders, attendance
 * window and follow-up): when each is due, and whether it fired, did nothing, or still waits;
 * with the run's own log of what happened. Renders nothing for runs without timers.
 */
import { Badge, Panel, Table } from '../../ui';
import { formatDateTime } from '../shared/format';

interface Timer {
  name: string;
  at: string;
  fired: boolean;
  skipped?: boolean;
}

interface TimedState {
  timers: Timer[];
  log?: { at: string; event: string }[];
}

const isTimedState = (state: unknown): state is TimedState =>
  typeof state === 'object' && state !== null && Array.isArray((state as TimedState).timers) && (state as TimedState).timers.every((t) => typeof t?.name === 'string' && typeof t?.at === 'string');

export function TimersPanel({ state }: { state: unknown }) {
  if (!isTimedState(state)) return null;
  return (
    <Panel title="Timers">
      <div className="pg-col">
        <Table
          caption="Durable timers"
          rows={state.timers}
          rowKey={(t) => `${t.name}@${t.at}`}
          empty="No timers."
          columns={[
            { key: 'name', header: 'Timer' },
            { key: 'at', header: 'Due', render: (t) => formatDateTime(t.at) },
            {
              key: 'state',
              header: 'State',
              render: (t) => (t.fired ? <Badge tone={t.skipped ? 'neutral' : 'success'}>{t.skipped ? 'came due, nothing to do' : 'fired'}</Badge> : <Badge tone="info">waiting</Badge>),
            },
          ]}
        />
        {state.log && state.log.length > 0 && (
          <ol aria-label="Run log" className="pg-col">
            {state.log.map((entry, i) => (
              <li key={i}>
                <span className="pg-muted">{formatDateTime(entry.at)}</span> {entry.event}
              </li>
            ))}
          </ol>
        )}
      </div>
    </Panel>
  );
}
