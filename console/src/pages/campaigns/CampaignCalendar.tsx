/**
 * The calendar of campaigns: a month of weeks (Monday first) in the browser's timezone, each
 * campaign on the day it goes out (its send time, or when it started). The API answers the
 * visible weeks only (`from`/`to`).
 */
import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import { Link } from '../../app/router';
import { Button } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { browserTimezone, STATUS_LABELS, type Campaign, type Page } from './types';

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The day a campaign shows on, in `zone`. */
const dayOf = (c: Campaign, zone: string) => {
  const at = c.startedAt ?? c.sendAt;
  return at ? DateTime.fromISO(at, { zone }).toISODate() : null;
};

export function CampaignCalendar() {
  const zone = browserTimezone();
  const [month, setMonth] = useState(() => DateTime.now().setZone(zone).startOf('month'));
  const days = useMemo(() => {
    const first = month.startOf('week');
    const last = month.endOf('month').endOf('week');
    return Array.from({ length: Math.round(last.diff(first, 'days').days) + 1 }, (_, i) => first.plus({ days: i }));
  }, [month]);
  const from = days[0].startOf('day').toUTC().toISO()!;
  const to = days.at(-1)!.plus({ days: 1 }).startOf('day').toUTC().toISO()!;

  const campaigns = useQuery(async () => (await api.get<Page<Campaign>>(`/v1/campaigns?${new URLSearchParams({ from, to, limit: '200' })}`)).items, [from, to]);
  const byDay = useMemo(() => {
    const map = new Map<string, Campaign[]>();
    for (const c of campaigns.data ?? []) {
      const day = dayOf(c, zone);
      if (day) map.set(day, [...(map.get(day) ?? []), c]);
    }
    return map;
  }, [campaigns.data, zone]);
  const today = DateTime.now().setZone(zone).toISODate();

  return (
    <div className="pg-col">
      <div className="pg-filters">
        <div className="pg-row">
          <Button onClick={() => setMonth((m) => m.minus({ months: 1 }))} aria-label="Previous month">‹</Button>
          <Button onClick={() => setMonth(DateTime.now().setZone(zone).startOf('month'))}>This month</Button>
          <Button onClick={() => setMonth((m) => m.plus({ months: 1 }))} aria-label="Next month">›</Button>
        </div>
        <h2 className="pg-h3" aria-live="polite">{month.toFormat('LLLL yyyy')}</h2>
        <span className="pg-muted">Times in {zone}</span>
      </div>
      <QueryStatus query={campaigns} loadingLabel="Loading campaigns">
        {() => (
          <div className="cp-cal" role="grid" aria-label="Campaign calendar">
            <div className="cp-cal-row" role="row">
              {WEEKDAY_NAMES.map((d) => (
                <div key={d} className="cp-cal-head" role="columnheader">{d}</div>
              ))}
            </div>
            {Array.from({ length: days.length / 7 }, (_, w) => (
              <div key={w} className="cp-cal-row" role="row">
                {days.slice(w * 7, w * 7 + 7).map((d) => {
                  const iso = d.toISODate()!;
                  const list = byDay.get(iso) ?? [];
                  const outside = d.month !== month.month;
                  return (
                    <div key={iso} role="gridcell" aria-label={d.toFormat('cccc d LLLL')} className={`cp-cal-day${outside ? ' cp-cal-outside' : ''}${iso === today ? ' cp-cal-today' : ''}`}>
                      <span className="cp-cal-date">{d.day}</span>
                      {list.map((c) => (
                        <Link key={c.id} to={`/campaigns/${c.id}`} className={`cp-cal-item cp-status-${c.status}`} title={`${c.name} · ${STATUS_LABELS[c.status]}`}>
                          {DateTime.fromISO((c.startedAt ?? c.sendAt)!, { zone }).toFormat('HH:mm')} {c.name}
                        </Link>
                      ))}
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        )}
      </QueryStatus>
    </div>
  );
}
