/**
 * Booking analytics for one tenant over a date range: SQL over appointments, aggregated in the
 * database (a busy tenant has many thousands of rows; the console needs a few dozen numbers).
 * Raw SQL is not covered by the tenant filter, so every statement names `tenant_id` itself.
 * A booking belongs to the range by its start, in its location's own timezone, so "Monday" and
 * "9 o'clock" mean what they mean at the front desk.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BookingAnalytics } from '../../core/api/public-booking';

const LEAD_BUCKETS = ['same day', '1-2 days', '3-6 days', '1-2 weeks', 'over 2 weeks'] as const;

/** Appointments of the tenant starting on [from, to] (local dates), with their local start. */
const SCOPE = `
  with scoped as (
    select a.id, a.service_id, a.status, a.starts_at, a.created_at,
           (a.starts_at at time zone l.timezone) as local_start
      from appointments a
      join locations l on l.id = a.location_id
     where a.tenant_id = ?
       and (a.starts_at at time zone l.timezone) >= ?::date
       and (a.starts_at at time zone l.timezone) < (?::date + 1)
  )`;

const num = (v: unknown) => Number(v ?? 0);
const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function bookingAnalytics(em: EntityManager, tenantId: string, from: string, to: string): Promise<BookingAnalytics> {
  const conn = em.getConnection();
  const args = [tenantId, from, to];
  const [totals] = await conn.execute(
    `${SCOPE}
     select count(*) as bookings,
            count(*) filter (where status = 'cancelled') as cancellations,
            count(*) filter (where status = 'no_show') as no_shows,
            count(*) filter (where status = 'completed') as completed,
            percentile_cont(0.5) within group (order by extract(epoch from starts_at - created_at) / 3600) as lead_median,
            avg(extract(epoch from starts_at - created_at) / 3600) as lead_avg
       from scoped`,
    args,
  );
  const daily = await conn.execute(
    `${SCOPE}
     select to_char(local_start, 'YYYY-MM-DD') as date, count(*) as bookings,
            count(*) filter (where status = 'cancelled') as cancellations,
            count(*) filter (where status = 'no_show') as no_shows
       from scoped group by 1 order by 1`,
    args,
  );
  const hours = await conn.execute(
    `${SCOPE}
     select extract(hour from local_start)::int as hour, count(*) as bookings
       from scoped where status <> 'cancelled' group by 1 order by 1`,
    args,
  );
  const lead = await conn.execute(
    `${SCOPE}
     select case
              when starts_at - created_at < interval '1 day' then 0
              when starts_at - created_at < interval '3 days' then 1
              when starts_at - created_at < interval '7 days' then 2
              when starts_at - created_at < interval '14 days' then 3
              else 4 end as bucket,
            count(*) as bookings
       from scoped group by 1`,
    args,
  );
  const services = await conn.execute(
    `${SCOPE}
     select s.id as service_id, s.name as service_name, count(*) as bookings,
            count(*) filter (where scoped.status = 'cancelled') as cancellations
       from scoped join services s on s.id = scoped.service_id
      group by s.id, s.name order by count(*) desc, s.name`,
    args,
  );

  const bookings = num(totals.bookings);
  const cancellations = num(totals.cancellations);
  const noShows = num(totals.no_shows);
  const completed = num(totals.completed);
  const perHour = new Map(hours.map((h) => [num(h.hour), num(h.bookings)]));
  const perBucket = new Map(lead.map((l) => [num(l.bucket), num(l.bookings)]));
  return {
    from,
    to,
    totals: {
      bookings,
      cancellations,
      noShows,
      completed,
      noShowRate: completed + noShows > 0 ? noShows / (completed + noShows) : null,
      cancellationRate: bookings > 0 ? cancellations / bookings : null,
      leadTimeHoursMedian: orNull(totals.lead_median),
      leadTimeHoursAverage: orNull(totals.lead_avg),
    },
    daily: fillDays(from, to, daily),
    busiestHours: Array.from({ length: 24 }, (_, hour) => ({ hour, bookings: perHour.get(hour) ?? 0 })),
    leadTime: LEAD_BUCKETS.map((bucket, i) => ({ bucket, bookings: perBucket.get(i) ?? 0 })),
    byService: services.map((s) => ({ serviceId: String(s.service_id), serviceName: String(s.service_name), bookings: num(s.bookings), cancellations: num(s.cancellations) })),
  };
}

/** Every day of the range, zero where nothing happened, so a chart's axis has no gaps. */
function fillDays(from: string, to: string, rows: Record<string, unknown>[]): BookingAnalytics['daily'] {
  const byDate = new Map(rows.map((r) => [String(r.date), r]));
  const days: BookingAnalytics['daily'] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const r = byDate.get(date);
    days.push({ date, bookings: num(r?.bookings), cancellations: num(r?.cancellations), noShows: num(r?.no_shows) });
  }
  return days;
}
