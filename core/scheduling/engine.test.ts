import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeSlots } from './engine';
import type { Assignee, ServiceRules, SlotQuery } from './types';

const service: ServiceRules = { id: 'svc', durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, capacity: 1, slotIntervalMinutes: 30, minNoticeMinutes: 0, maxHorizonDays: 400 };
const staff = (id: string, weeklyHours: Assignee['weeklyHours'], more: Partial<Assignee> = {}): Assignee => ({ id, weeklyHours, exceptions: [], holds: [], busy: [], ...more });
const ms = (iso: string, zone = 'utc') => DateTime.fromISO(iso, { zone }).toMillis();
const NOW = ms('2026-12-01T00:00:00Z');

/** Slots of one local day in `zone`, as local wall-clock `HH:mm` labels. */
function localDay(zone: string, date: string, q: Partial<SlotQuery> & Pick<SlotQuery, 'staff'>) {
  const day = DateTime.fromISO(date, { zone });
  const slots = computeSlots({ service, timezone: zone, locationExceptions: [], resources: [], from: day.toMillis(), to: day.plus({ days: 1 }).toMillis(), now: NOW, ...q });
  return { slots, labels: slots.map((s) => DateTime.fromISO(s.startsAt, { zone }).toFormat('HH:mm')) };
}

describe('daylight-saving days', () => {
  it('New York spring-forward: 02:30 does not exist, the night window is an hour shorter', () => {
    const { labels, slots } = localDay('America/New_York', '2027-03-14', { staff: [staff('a', { sun: [{ start: '01:00', end: '04:00' }] })] });
    expect(labels).toEqual(['01:00', '01:30', '03:00', '03:30']);
    expect(slots.map((s) => s.startsAt)).toEqual(['2027-03-14T06:00:00.000Z', '2027-03-14T06:30:00.000Z', '2027-03-14T07:00:00.000Z', '2027-03-14T07:30:00.000Z']);
  });

  it('New York fall-back: 01:30 exists twice, an hour apart', () => {
    const { labels, slots } = localDay('America/New_York', '2027-11-07', { staff: [staff('a', { sun: [{ start: '00:00', end: '03:00' }] })] });
    expect(labels).toEqual(['00:00', '00:30', '01:00', '01:30', '01:00', '01:30', '02:00', '02:30']);
    const twice = slots.filter((s) => DateTime.fromISO(s.startsAt, { zone: 'America/New_York' }).toFormat('HH:mm') === '01:30').map((s) => s.startsAt);
    expect(twice).toEqual(['2027-11-07T05:30:00.000Z', '2027-11-07T06:30:00.000Z']);
  });

  it('Berlin spring-forward and fall-back', () => {
    const hours = { sun: [{ start: '01:00', end: '04:00' }] };
    expect(localDay('Europe/Berlin', '2027-03-28', { staff: [staff('a', hours)] }).labels).toEqual(['01:00', '01:30', '03:00', '03:30']);
    const fall = localDay('Europe/Berlin', '2027-10-31', { staff: [staff('a', hours)] });
    expect(fall.labels).toEqual(['01:00', '01:30', '02:00', '02:30', '02:00', '02:30', '03:00', '03:30']);
    expect(fall.slots[0].startsAt).toBe('2027-10-30T23:00:00.000Z');
  });

  it('keeps 09:00 local across the change: UTC shifts by the offset', () => {
    const hours = { fri: [{ start: '09:00', end: '09:30' }] };
    const before = localDay('Europe/Berlin', '2027-03-26', { staff: [staff('a', hours)] }).slots[0].startsAt;
    const after = localDay('Europe/Berlin', '2027-04-02', { staff: [staff('a', hours)] }).slots[0].startsAt;
    expect([before, after]).toEqual(['2027-03-26T08:00:00.000Z', '2027-04-02T07:00:00.000Z']);
  });
});

describe('hours, breaks and exceptions', () => {
  const week = { mon: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '15:00' }] };
  const monday = '2027-01-04';

  it('leaves out the break between two intervals, and slots that would run into it', () => {
    const { labels } = localDay('Europe/Berlin', monday, { service: { ...service, durationMinutes: 60 }, staff: [staff('a', week)] });
    expect(labels).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '13:00', '13:30', '14:00']);
  });

  it('a location holiday closes everyone; location hours cut everyone’s hours', () => {
    expect(localDay('Europe/Berlin', monday, { staff: [staff('a', week)], locationExceptions: [{ date: monday, closed: true, hours: [] }] }).labels).toEqual([]);
    const cut = localDay('Europe/Berlin', monday, { staff: [staff('a', week)], locationExceptions: [{ date: monday, closed: false, hours: [{ start: '10:00', end: '11:00' }] }] });
    expect(cut.labels).toEqual(['10:00', '10:30']);
  });

  it('a staff exception replaces that staff member’s hours for the date only', () => {
    const a = staff('a', week, { exceptions: [{ date: monday, closed: false, hours: [{ start: '16:00', end: '17:00' }] }] });
    expect(localDay('Europe/Berlin', monday, { staff: [a] }).labels).toEqual(['16:00', '16:30']);
    expect(localDay('Europe/Berlin', '2027-01-11', { staff: [a] }).labels).toHaveLength(10);
    const off = staff('b', week, { exceptions: [{ date: monday, closed: true, hours: [] }] });
    expect(localDay('Europe/Berlin', monday, { staff: [off] }).labels).toEqual([]);
  });

  it('minimum notice and maximum horizon', () => {
    const now = ms('2027-01-04T10:10', 'Europe/Berlin');
    const notice = localDay('Europe/Berlin', monday, { service: { ...service, minNoticeMinutes: 60 }, staff: [staff('a', week)], now });
    expect(notice.labels).toEqual(['11:30', '13:00', '13:30', '14:00', '14:30']);
    const horizon = { ...service, maxHorizonDays: 7 };
    expect(localDay('Europe/Berlin', '2027-01-11', { service: horizon, staff: [staff('a', week)], now }).labels).toEqual(['09:00', '09:30', '10:00']);
    expect(localDay('Europe/Berlin', '2027-01-18', { service: horizon, staff: [staff('a', week)], now }).labels).toEqual([]);
  });
});

describe('bookings, buffers, seats and calendars', () => {
  const zone = 'UTC';
  const day = '2027-01-04';
  const hours = { mon: [{ start: '09:00', end: '12:00' }] };

  it('a hold blocks its span with the buffers of both sides', () => {
    const buffered = { ...service, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 };
    const hold = { start: ms('2027-01-04T09:45Z'), end: ms('2027-01-04T10:45Z'), serviceId: 'svc' };
    expect(localDay(zone, day, { service: buffered, staff: [staff('a', hours, { holds: [hold] })] }).labels).toEqual(['09:00', '11:00', '11:30']);
  });

  it('a group session offers its remaining seats; another service’s booking blocks it', () => {
    const group = { ...service, capacity: 3, durationMinutes: 60, slotIntervalMinutes: 60 };
    const seat = { start: ms('2027-01-04T09:00Z'), end: ms('2027-01-04T10:00Z'), serviceId: 'svc' };
    const two = localDay(zone, day, { service: group, staff: [staff('a', hours, { holds: [seat, seat] })] }).slots;
    expect(two.map((s) => s.seatsLeft)).toEqual([1, 3, 3]);
    const full = localDay(zone, day, { service: group, staff: [staff('a', hours, { holds: [seat, seat, seat] })] }).labels;
    expect(full).toEqual(['10:00', '11:00']);
    const other = localDay(zone, day, { service: group, staff: [staff('a', hours, { holds: [{ ...seat, serviceId: 'other' }] })] }).labels;
    expect(other).toEqual(['10:00', '11:00']);
  });

  it('calendar busy blocks subtract', () => {
    const busy = [{ start: ms('2027-01-04T10:15Z'), end: ms('2027-01-04T10:20Z') }];
    expect(localDay(zone, day, { staff: [staff('a', hours, { busy })] }).labels).toEqual(['09:00', '09:30', '10:30', '11:00', '11:30']);
  });

  it('needs a staff member and a resource free at the same start when the service uses both', () => {
    const room = staff('room', { mon: [{ start: '10:00', end: '11:00' }] });
    const slots = localDay(zone, day, { staff: [staff('a', hours)], resources: [room] }).slots;
    expect(slots.map((s) => [s.startsAt.slice(11, 16), s.staffId, s.resourceId])).toEqual([['10:00', 'a', 'room'], ['10:30', 'a', 'room']]);
  });

  it('sorts several staff members by start and honours the limit', () => {
    const slots = localDay(zone, day, { staff: [staff('b', hours), staff('a', hours)], limit: 3 }).slots;
    expect(slots.map((s) => `${s.startsAt.slice(11, 16)} ${s.staffId}`)).toEqual(['09:00 a', '09:00 b', '09:30 a']);
  });
});
