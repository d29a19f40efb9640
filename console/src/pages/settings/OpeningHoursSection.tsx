/**
 * Opening hours (admins): the timezone, one line of intervals per weekday and the dated exceptions
 * (holidays, short days), as `GET/PUT /v1/settings/opening-hours` hold them. Flows branch on them
 * with the Business hours node; the badge says whether the business is open right now.
 */
import { useEffect, useState } from 'react';
import type { OpeningHoursView } from '../../../../core/api/opening-hours';
import { api } from '../../api/client';
import { Badge, Button, Field, FormError, Input, Textarea, useToast } from '../../ui';
import { formatIntervals, parseIntervals, WEEKDAYS, type Interval, type Weekday } from '../scheduling/types';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

interface Form {
  timezone: string;
  days: Record<Weekday, string>;
  exceptions: string;
}

interface Exception {
  date: string;
  closed: boolean;
  hours: Interval[];
  reason: string;
}

const DAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const DEFAULT_WEEK = { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00', sat: '', sun: '' };

const exceptionLine = (e: Exception) => [e.date, e.closed ? 'closed' : formatIntervals(e.hours), e.reason].filter(Boolean).join(' ');

/** "2026-12-25 closed Christmas Day" / "2026-12-24 09:00-12:00 Christmas Eve" → an exception, or what is wrong with the line. */
export function parseExceptionLine(line: string): Exception | string {
  const m = /^(\d{4}-\d{2}-\d{2})\s+(.*)$/.exec(line.trim());
  if (!m) return `"${line.trim()}" does not start with a date YYYY-MM-DD followed by "closed" or hours`;
  const [, date, rest] = m;
  const closed = /^closed\b\s*(.*)$/i.exec(rest);
  if (closed) return { date, closed: true, hours: [], reason: closed[1].trim() };
  const ranges = /^((?:\d{2}:\d{2}\s*-\s*\d{2}:\d{2}\s*,?\s*)+)(.*)$/.exec(rest);
  if (!ranges) return `${date}: write "closed" or hours such as 09:00-12:00 after the date`;
  const hours = parseIntervals(ranges[1].replace(/,\s*$/, ''));
  if (typeof hours === 'string') return `${date}: ${hours}`;
  return { date, closed: false, hours, reason: ranges[2].trim() };
}

const toForm = (v: OpeningHoursView): Form => ({
  timezone: v.timezone,
  days: Object.fromEntries(WEEKDAYS.map((d) => [d, v.weekly ? formatIntervals(v.weekly[d]) : DEFAULT_WEEK[d]])) as Record<Weekday, string>,
  exceptions: v.exceptions.map(exceptionLine).join('\n'),
});

function nowLabel(now: OpeningHoursView['now']) {
  if (now.reason === 'unset') return { tone: 'neutral' as const, text: 'No hours saved: flows treat the business as open' };
  const where = `${now.localTime.replace('T', ' ')} ${now.timezone}`;
  const why = now.reason === 'holiday' ? ` (holiday${now.exception ? `: ${now.exception}` : ''})` : now.reason === 'special' ? ` (special hours${now.exception ? `: ${now.exception}` : ''})` : '';
  return { tone: now.open ? ('success' as const) : ('warning' as const), text: `${now.open ? 'Open now' : 'Closed now'}${why} · ${where}` };
}

export function OpeningHoursSection() {
  const toast = useToast();
  const settings = useQuery(() => api.get<OpeningHoursView>('/v1/settings/opening-hours'), []);
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (settings.data) setForm(toForm(settings.data));
  }, [settings.data]);

  const parsed = () => {
    const weekly: Partial<Record<Weekday, Interval[]>> = {};
    for (const d of WEEKDAYS) {
      const hours = parseIntervals(form!.days[d]);
      if (typeof hours === 'string') return { error: ['weekly', `${DAY_NAMES[d]}: ${hours}`] as [string, string] };
      if (hours.length) weekly[d] = hours;
    }
    const exceptions: Exception[] = [];
    for (const line of form!.exceptions.split('\n').filter((l) => l.trim())) {
      const e = parseExceptionLine(line);
      if (typeof e === 'string') return { error: ['exceptions', e] as [string, string] };
      exceptions.push(e);
    }
    return { body: { timezone: form!.timezone.trim(), weekly, exceptions } };
  };

  const save = useSubmit(
    ['timezone', 'weekly', 'exceptions'],
    async () => {
      settings.setData(await api.put<OpeningHoursView>('/v1/settings/opening-hours', parsed().body));
      toast.success('Opening hours saved');
    },
    { validate: () => (form!.timezone.trim() ? (parsed().error ?? null) : ['timezone', 'timezone is required (an IANA zone such as Europe/Berlin)']) },
  );

  return (
    <QueryStatus query={settings} loadingLabel="Loading opening hours">
      {(view) =>
        form &&
        view && (
          <form onSubmit={(e) => void save.submit(e)} noValidate aria-label="Opening hours" className="pg-form-narrow">
            <p className="pg-muted">When the business is open, read in its timezone. The Business hours node of a flow (a phone menu, a chat greeting) branches on it: open, closed, or a holiday.</p>
            <p>
              <Badge tone={nowLabel(view.now).tone}>{nowLabel(view.now).text}</Badge>
            </p>
            <Field label="Timezone" help={`An IANA zone such as Europe/Berlin (this browser: ${browserZone()}). Analytics and the weekly report use it too.`} error={save.fieldError('timezone')}>
              <Input value={form.timezone} onChange={(e) => setForm({ ...form, timezone: e.target.value })} />
            </Field>
            <fieldset className="pg-hours">
              <legend className="field-label">Weekly hours</legend>
              <p className="pg-muted">Local times such as 09:00-12:30, 13:30-18:00 (the gap is a break); empty for a closed day.</p>
              {save.fieldError('weekly') && (
                <p className="pg-error-text" role="alert">
                  {save.fieldError('weekly')}
                </p>
              )}
              {WEEKDAYS.map((d) => (
                <Field key={d} label={DAY_NAMES[d]}>
                  <Input placeholder="closed" value={form.days[d]} onChange={(e) => setForm({ ...form, days: { ...form.days, [d]: e.target.value } })} />
                </Field>
              ))}
            </fieldset>
            <Field label="Holidays and special days" help='One per line: "2026-12-25 closed Christmas Day" or "2026-12-24 09:00-12:00 Christmas Eve".' error={save.fieldError('exceptions')}>
              <Textarea rows={4} value={form.exceptions} onChange={(e) => setForm({ ...form, exceptions: e.target.value })} />
            </Field>
            <div className="pg-row">
              <Button type="submit" variant="primary" disabled={save.busy}>
                Save opening hours
              </Button>
            </div>
            <FormError message={save.errors.form} />
          </form>
        )
      }
    </QueryStatus>
  );
}
