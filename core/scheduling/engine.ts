/**
 * The availability engine: which starts of a service are free, per staff member / resource, in a
 * time range. Pure: the caller loads hours, exceptions, holds and calendar busy times; the
 * database's exclusion constraint stays the final word on a booking (this only proposes).
 */
import { DateTime } from 'luxon';
import { intersectIntervals, LocalClock, localDays, minutesMs, weekdayOf } from './time';
import type { Assignee, DateException, HoldSpan, LocalInterval, ServiceRules, Slot, SlotQuery } from './types';

interface Candidate {
  start: number;
  seatsLeft: number;
}

/** Sorted spans with the longest length, so an overlap scan can start by binary search. */
class SpanIndex<T extends { start: number; end: number }> {
  private readonly spans: T[];
  private readonly maxLen: number;
  constructor(spans: T[]) {
    this.spans = [...spans].sort((a, b) => a.start - b.start);
    this.maxLen = this.spans.reduce((m, s) => Math.max(m, s.end - s.start), 0);
  }
  /** Spans overlapping [start, end). */
  overlapping(start: number, end: number): T[] {
    const s = this.spans;
    let lo = 0;
    let hi = s.length;
    const from = start - this.maxLen;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].start < from) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let i = lo; i < s.length && s[i].start < end; i++) if (s[i].end > start) out.push(s[i]);
    return out;
  }
}

const byDate = (list: DateException[]) => new Map(list.map((e) => [e.date, e]));

/** The local intervals an assignee works on `day`, after its own exception and the location's. */
function hoursOn(day: DateTime, a: Assignee, own: Map<string, DateException>, location: Map<string, DateException>): LocalInterval[] {
  const date = day.toISODate()!;
  const mine = own.get(date);
  let hours = mine ? (mine.closed ? [] : mine.hours) : (a.weeklyHours[weekdayOf(day)] ?? []);
  const loc = location.get(date);
  if (loc) hours = loc.closed ? [] : intersectIntervals(hours, loc.hours);
  return hours;
}

/**
 * Free starts of one assignee. A hold of another service, or of this service at another time,
 * blocks its whole span; holds of this very session (same service, same span) only take seats.
 */
function assigneeCandidates(q: SlotQuery, a: Assignee, days: DateTime[], clock: LocalClock, bounds: { earliest: number; latest: number }): Map<number, number> {
  const s = q.service;
  const dur = minutesMs(s.durationMinutes);
  const step = minutesMs(s.slotIntervalMinutes);
  const before = minutesMs(s.bufferBeforeMinutes);
  const after = minutesMs(s.bufferAfterMinutes);
  const holds = new SpanIndex<HoldSpan>(a.holds);
  const busy = new SpanIndex(a.busy);
  const own = byDate(a.exceptions);
  const location = byDate(q.locationExceptions);
  const out = new Map<number, number>();
  for (const day of days) {
    for (const w of clock.windows(day, hoursOn(day, a, own, location))) {
      for (let start = w.start; start + dur <= w.end; start += step) {
        if (start < bounds.earliest || start < q.from) continue;
        if (start >= bounds.latest || start >= q.to) break;
        const spanStart = start - before;
        const spanEnd = start + dur + after;
        if (busy.overlapping(spanStart, spanEnd).length) continue;
        const taken = holds.overlapping(spanStart, spanEnd);
        if (taken.some((h) => h.serviceId !== s.id || h.start !== spanStart || h.end !== spanEnd)) continue;
        const seatsLeft = s.capacity - taken.length;
        if (seatsLeft > 0) out.set(start, seatsLeft);
      }
    }
  }
  return out;
}

/** Earliest start (minimum notice) and the end of the booking horizon, from `now`. */
export function bookingBounds(service: Pick<ServiceRules, 'minNoticeMinutes' | 'maxHorizonDays'>, timezone: string, now: number) {
  const local = DateTime.fromMillis(now, { zone: timezone });
  return { earliest: local.plus({ minutes: service.minNoticeMinutes }).toMillis(), latest: local.plus({ days: service.maxHorizonDays }).toMillis() };
}

/**
 * Bookable slots, sorted by start then staff then resource. A service with both staff and
 * resources needs one of each free at the same start (the first free resource is proposed);
 * its seats left are the fewer of the two.
 */
export function computeSlots(q: SlotQuery): Slot[] {
  if (q.from >= q.to || (q.staff.length === 0 && q.resources.length === 0)) return [];
  const clock = new LocalClock(q.timezone);
  const bounds = bookingBounds(q.service, q.timezone, q.now);
  const days = localDays(Math.max(q.from, bounds.earliest), Math.min(q.to, bounds.latest), q.timezone);
  const dur = minutesMs(q.service.durationMinutes);
  const perStaff = q.staff.map((a) => ({ id: a.id, free: assigneeCandidates(q, a, days, clock, bounds) }));
  const perResource = q.resources.map((a) => ({ id: a.id, free: assigneeCandidates(q, a, days, clock, bounds) }));

  const slots: (Candidate & { staffId: string | null; resourceId: string | null })[] = [];
  if (perStaff.length) {
    for (const st of perStaff)
      for (const [start, seats] of st.free) {
        if (!perResource.length) {
          slots.push({ start, seatsLeft: seats, staffId: st.id, resourceId: null });
          continue;
        }
        const r = perResource.find((res) => res.free.has(start));
        if (r) slots.push({ start, seatsLeft: Math.min(seats, r.free.get(start)!), staffId: st.id, resourceId: r.id });
      }
  } else {
    for (const r of perResource) for (const [start, seats] of r.free) slots.push({ start, seatsLeft: seats, staffId: null, resourceId: r.id });
  }
  slots.sort((a, b) => a.start - b.start || (a.staffId ?? '').localeCompare(b.staffId ?? '') || (a.resourceId ?? '').localeCompare(b.resourceId ?? ''));
  const limited = q.limit ? slots.slice(0, q.limit) : slots;
  return limited.map((c) => ({
    startsAt: new Date(c.start).toISOString(),
    endsAt: new Date(c.start + dur).toISOString(),
    staffId: c.staffId,
    resourceId: c.resourceId,
    seatsLeft: c.seatsLeft,
  }));
}
