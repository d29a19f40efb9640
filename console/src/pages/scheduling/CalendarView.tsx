/**
 * The calendar: one day or one week of one staff member's (or resource's) bookings on a grid of
 * half hours in the location's own timezone. Drag a booking onto another half hour to move it;
 * the same move is a form in the booking's dialog, for the keyboard.
 */
import { useMemo, useState, type DragEvent } from 'react';
import { api } from '../../api/client';
import { Badge, Button, Dialog, Field, Input, Select } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { useCatalog, zoneOf } from './useCatalog';
import { useReschedule } from './useReschedule';
import { addDays, instantAt, localTime, todayIn, weekStart, type Appointment, type List } from './types';
import { DateTime } from 'luxon';

const FIRST_HOUR = 7;
const LAST_HOUR = 21;
const ROW_MINUTES = 30;
const ROW_PX = 28;
const ROWS = ((LAST_HOUR - FIRST_HOUR) * 60) / ROW_MINUTES;
const DRAG_TYPE = 'application/x-switchboard-appointment';

export function CalendarView() {
  const catalog = useCatalog();
  const [mode, setMode] = useState<'day' | 'week'>('week');
  const [who, setWho] = useState('');
  const [kind, id] = who.split(':') as ['staff' | 'resource' | '', string | undefined];
  const owner = kind === 'staff' ? catalog.data?.staff.find((s) => s.id === id) : catalog.data?.resources.find((r) => r.id === id);
  const zone = zoneOf(catalog.data, owner?.locationId);
  const [date, setDate] = useState(() => todayIn(zone));
  const days = useMemo(() => (mode === 'day' ? [date] : Array.from({ length: 7 }, (_, i) => addDays(weekStart(date), i))), [mode, date]);
  const from = instantAt(days[0], 0, zone);
  const to = instantAt(addDays(days.at(-1)!, 1), 0, zone);

  const bookings = useQuery(async () => {
    const q = new URLSearchParams({ from, to, limit: '200' });
    if (kind === 'staff' && id) q.set('staffId', id);
    // The list filters by staff, not by resource: a resource's bookings are picked here.
    const items = (await api.get<List<Appointment>>(`/v1/appointments?${q}`)).items;
    return items.filter((a) => a.status !== 'cancelled' && (kind !== 'resource' || a.resourceId === id));
  }, [from, to, who]);
  const reschedule = useReschedule(zone, () => void bookings.reload());
  const [open, setOpen] = useState<Appointment | null>(null);

  // The day column takes the drop (a booking block may lie over the half hour it lands on).
  const onDrop = (e: DragEvent<HTMLDivElement>, day: string) => {
    e.preventDefault();
    const row = Math.max(0, Math.min(ROWS - 1, Math.floor((e.clientY - e.currentTarget.getBoundingClientRect().top) / ROW_PX)));
    const moved = bookings.data?.find((a) => a.id === e.dataTransfer.getData(DRAG_TYPE));
    const startsAt = instantAt(day, FIRST_HOUR * 60 + row * ROW_MINUTES, zone);
    if (moved && Date.parse(startsAt) !== Date.parse(moved.startsAt)) void reschedule.move(moved, startsAt, kind === 'staff' ? id : undefined);
  };

  const whoOptions = [
    { value: '', label: 'Everyone' },
    ...(catalog.data?.staff ?? []).map((s) => ({ value: `staff:${s.id}`, label: s.name })),
    ...(catalog.data?.resources ?? []).map((r) => ({ value: `resource:${r.id}`, label: `${r.name} (${r.kind})` })),
  ];
  const step = mode === 'day' ? 1 : 7;

  return (
    <div className="pg-col">
      <div className="pg-filters">
        <Field label="Show">
          <Select value={who} onChange={(e) => setWho(e.target.value)} options={whoOptions} />
        </Field>
        <Field label="View">
          <Select value={mode} onChange={(e) => setMode(e.target.value as 'day' | 'week')} options={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' }]} />
        </Field>
        <Field label="Date">
          <Input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </Field>
        <div className="pg-row">
          <Button variant="secondary" onClick={() => setDate(addDays(date, -step))} aria-label={`Previous ${mode}`}>‹</Button>
          <Button variant="secondary" onClick={() => setDate(todayIn(zone))}>Today</Button>
          <Button variant="secondary" onClick={() => setDate(addDays(date, step))} aria-label={`Next ${mode}`}>›</Button>
        </div>
        <span className="pg-muted">Times in {zone}</span>
      </div>
      <QueryStatus query={bookings} loadingLabel="Loading bookings">
        {(items = []) => (
          <div className="sc-cal" role="region" aria-label="Calendar" style={{ gridTemplateColumns: `56px repeat(${days.length}, minmax(0, 1fr))` }}>
            <div className="sc-cal-corner" />
            {days.map((d) => (
              <div key={d} className="sc-cal-dayhead">
                {DateTime.fromISO(d).toFormat('ccc d LLL')}
              </div>
            ))}
            <div className="sc-cal-hours" aria-hidden>
              {Array.from({ length: ROWS / 2 }, (_, i) => (
                <div key={i} style={{ height: ROW_PX * 2 }}>{`${String(FIRST_HOUR + i).padStart(2, '0')}:00`}</div>
              ))}
            </div>
            {days.map((day) => (
              <div key={day} className="sc-cal-day" data-day={day} style={{ height: ROWS * ROW_PX }} onDragOver={(e) => e.preventDefault()} onDrop={(e) => onDrop(e, day)}>
                {Array.from({ length: ROWS }, (_, row) => (
                  <div
                    key={row}
                    className="sc-cal-cell"
                    data-slot={`${day}T${minutesLabel(FIRST_HOUR * 60 + row * ROW_MINUTES)}`}
                    style={{ top: row * ROW_PX, height: ROW_PX }}
                  />
                ))}
                {items
                  .filter((a) => DateTime.fromISO(a.startsAt, { zone }).toISODate() === day)
                  .map((a) => {
                    const start = DateTime.fromISO(a.startsAt, { zone });
                    const top = ((start.hour * 60 + start.minute - FIRST_HOUR * 60) / ROW_MINUTES) * ROW_PX;
                    const height = Math.max(ROW_PX - 2, ((Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000 / ROW_MINUTES) * ROW_PX - 2);
                    return (
                      <button
                        key={a.id}
                        type="button"
                        className={`sc-cal-appt sc-status-${a.status}`}
                        style={{ top, height }}
                        draggable
                        data-appointment={a.id}
                        onDragStart={(e) => {
                          e.dataTransfer.setData(DRAG_TYPE, a.id);
                          e.dataTransfer.effectAllowed = 'move';
                        }}
                        onClick={() => setOpen(a)}
                        aria-label={`${a.customerName}, ${a.serviceName}, ${localTime(a.startsAt, zone)}–${localTime(a.endsAt, zone)}`}
                      >
                        <strong>{localTime(a.startsAt, zone)}</strong> {a.customerName}
                        <span className="sc-cal-sub">{a.serviceName}{a.staffName ? ` · ${a.staffName}` : ''}</span>
                      </button>
                    );
                  })}
              </div>
            ))}
          </div>
        )}
      </QueryStatus>
      <MoveDialog appointment={open} zone={zone} busy={reschedule.busy} onClose={() => setOpen(null)} onMove={(a, startsAt) => void reschedule.move(a, startsAt).then(() => setOpen(null))} />
      {reschedule.dialog}
    </div>
  );
}

const minutesLabel = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function MoveDialog({ appointment, zone, busy, onClose, onMove }: { appointment: Appointment | null; zone: string; busy: boolean; onClose: () => void; onMove: (a: Appointment, startsAt: string) => void }) {
  const start = appointment ? DateTime.fromISO(appointment.startsAt, { zone }) : null;
  const [when, setWhen] = useState('');
  const value = when || (start ? start.toFormat("yyyy-LL-dd'T'HH:mm") : '');
  return (
    <Dialog title={appointment ? `${appointment.customerName} · ${appointment.serviceName}` : ''} open={appointment !== null} onClose={() => (setWhen(''), onClose())}>
      {appointment && (
        <div className="pg-col">
          <dl className="pg-dl">
            <dt>When</dt>
            <dd>{`${start!.toFormat('ccc d LLL, HH:mm')}–${localTime(appointment.endsAt, zone)}`}</dd>
            <dt>Status</dt>
            <dd><Badge>{appointment.status}</Badge></dd>
            <dt>Contact</dt>
            <dd>{[appointment.customerEmail, appointment.customerPhone].filter(Boolean).join(' · ') || '—'}</dd>
          </dl>
          <Field label="Move to" help={`Local time in ${zone}`}>
            <Input type="datetime-local" value={value} onChange={(e) => setWhen(e.target.value)} />
          </Field>
          <div className="pg-row pg-row-end">
            <Button variant="primary" disabled={busy || !when} onClick={() => onMove(appointment, DateTime.fromISO(when, { zone }).toUTC().toISO()!)}>
              Move booking
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
