/**
 * The availability engine: which starts of a service are free, per staff member / resource, in a
 * time range. Pure: the caller loads hours, exceptions, holds and calendar busy times; the
 * database's exclusion constraint stays the final word on a booking (this only proposes).
 */
import { DateTime } from 'luxon';
import { intersectIntervals, LocalClock, localDays, minutesMs, type LocalDay } from './time';
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
  /** Index of the first span that may overlap a range starting at `start` (no span before it reaches `start`). */
  firstCandidate(start: number): number {
    const s = this.spans;
    let lo = 0;
    let hi = s.length;
    const from = start - this.maxLen;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].start < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether any span overlaps [start, end). */
  overlaps(start: number, end: number): boolean {
    const s = this.spans;
    for (let i = this.firstCandidate(start); i < s.length && s[i].start < end; i++) if (s[i].end > start) return true;
    return false;
  }

  readonly at = (i: number): T | undefined => this.spans[i];
}

const byDate = (list: DateException[]) => new Map(list.map((e) => [e.date, e]));

/** The local intervals an assignee works on `day`, after its own exception and the location's. */
function hoursOn(local: LocalDay, a: Assignee, own: Map<string, DateException>, location: Map<string, DateException>): LocalInterval[] {
  const mine = own.get(local.date);
  let hours = mine ? (mine.closed ? [] : mine.hours) : (a.weeklyHours[local.weekday] ?? []);
  const loc = location.get(local.date);
  if (loc) hours = loc.closed ? [] : intersectIntervals(hours, loc.hours);
  return hours;
}

/**
 * Free starts of one assignee. A hold of another service, or of this service at another time,
 * blocks its whole span; holds of this very session (same service, same span) only take seats.
 */
interface Spans {
  dur: number;
  step: number;
  before: number;
  after: number;
}

/**
 * Seats left at `[spanStart, spanEnd)`: 0 when a hold of another service or another span
 * overlaps it (that time is simply taken), else the capacity minus the seats of this session.
 */
function seatsLeft(holds: SpanIndex<HoldSpan>, serviceId: string, capacity: number, spanStart: number, spanEnd: number): number {
  let taken = 0;
  for (let i = holds.firstCandidate(spanStart); ; i++) {
    const h = holds.at(i);
    if (!h || h.start >= spanEnd) break;
    if (h.end <= spanStart) continue;
    if (h.serviceId !== serviceId || h.start !== spanStart || h.end !== spanEnd) return 0;
    taken++;
  }
  return Math.max(0, capacity - taken);
}

function assigneeCandidates(q: SlotQuery, a: Assignee, days: LocalDay[], clock: LocalClock, bounds: { earliest: number; latest: number }, ms: Spans): Map<number, number> {
  const s = q.service;
  const { dur, step, before, after } = ms;
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
        if (busy.overlaps(spanStart, spanEnd)) continue;
        const seats = seatsLeft(holds, s.id, s.capacity, spanStart, spanEnd);
        if (seats > 0) out.set(start, seats);
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
  const spans: Spans = {
    dur: minutesMs(q.service.durationMinutes),
    step: minutesMs(q.service.slotIntervalMinutes),
    before: minutesMs(q.service.bufferBeforeMinutes),
    after: minutesMs(q.service.bufferAfterMinutes),
  };
  const dur = spans.dur;
  const perStaff = q.staff.map((a) => ({ id: a.id, free: assigneeCandidates(q, a, days, clock, bounds, spans) }));
  const perResource = q.resources.map((a) => ({ id: a.id, free: assigneeCandidates(q, a, days, clock, bounds, spans) }));

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
  const cmp = (x: string | null, y: string | null) => ((x ?? '') < (y ?? '') ? -1 : (x ?? '') > (y ?? '') ? 1 : 0);
  slots.sort((a, b) => a.start - b.start || cmp(a.staffId, b.staffId) || cmp(a.resourceId, b.resourceId));
  const limited = q.limit ? slots.slice(0, q.limit) : slots;
  // Staff share starts: each instant is formatted once.
  const isoCache = new Map<number, string>();
  const iso = (ms: number) => {
    let text = isoCache.get(ms);
    if (text === undefined) isoCache.set(ms, (text = new Date(ms).toISOString()));
    return text;
  };
  return limited.map((c) => ({
    startsAt: iso(c.start),
    endsAt: iso(c.start + dur),
    staffId: c.staffId,
    resourceId: c.resourceId,
    seatsLeft: c.seatsLeft,
  }));
}
