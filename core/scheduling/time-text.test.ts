import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatSlot } from './format';
import { parseRequestedTime } from './parse';
import { expandRecurrence, parseRule, RecurrenceError } from './recurrence';

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('ccc yyyy-MM-dd HH:mm');

describe('recurrence', () => {
  it('keeps a weekly 10:00 at 10:00 local across the spring-forward in New York', () => {
    const starts = expandRecurrence('FREQ=WEEKLY;COUNT=3', '2027-03-07T15:00:00Z', 'America/New_York', Date.parse('2027-12-31T00:00:00Z'));
    expect(starts).toEqual(['2027-03-07T15:00:00Z', '2027-03-14T14:00:00Z', '2027-03-21T14:00:00Z']);
    expect(starts.map((s) => local(s, 'America/New_York').slice(-5))).toEqual(['10:00', '10:00', '10:00']);
  });

  it('stops at the horizon and at UNTIL, and refuses rules it cannot honour', () => {
    const horizon = Date.parse('2027-01-20T00:00:00Z');
    expect(expandRecurrence('RRULE:FREQ=DAILY;INTERVAL=7', '2027-01-04T09:00:00Z', 'Europe/Berlin', horizon)).toHaveLength(3);
    expect(expandRecurrence('FREQ=DAILY;UNTIL=20270106T235959Z', '2027-01-04T09:00:00Z', 'Europe/Berlin', horizon)).toHaveLength(3);
    expect(() => parseRule('COUNT=3')).toThrow(RecurrenceError);
    expect(() => parseRule('FREQ=WEEKLY;TZID=Europe/Paris')).toThrow(/TZID/);
    expect(() => parseRule('FREQ=SOMETIMES')).toThrow(RecurrenceError);
  });
});

describe('parseRequestedTime', () => {
  // Friday 2026-12-04, 15:00 in New York (20:00 UTC).
  const now = Date.parse('2026-12-04T20:00:00Z');

  it('reads "next Friday evening" in the contact’s timezone', () => {
    expect(parseRequestedTime('next Friday evening', { timezone: 'America/New_York', now })).toEqual({ from: '2026-12-11T22:00:00Z', to: '2026-12-12T02:00:00Z' });
    expect(parseRequestedTime('next Friday evening', { timezone: 'Europe/Berlin', now })).toEqual({ from: '2026-12-11T16:00:00Z', to: '2026-12-11T20:00:00Z' });
  });

  it('a precise time is an hour from it; a bare date is the whole local day; nonsense is null', () => {
    expect(parseRequestedTime('tomorrow at 7pm', { timezone: 'Europe/Berlin', now })).toEqual({ from: '2026-12-05T18:00:00Z', to: '2026-12-05T19:00:00Z' });
    expect(parseRequestedTime('on Monday', { timezone: 'America/New_York', now })).toEqual({ from: '2026-12-07T05:00:00Z', to: '2026-12-08T05:00:00Z' });
    expect(parseRequestedTime('whenever suits', { timezone: 'Europe/Berlin', now })).toBeNull();
  });

  it('uses the offset of the requested day, not of today, across a daylight-saving change', () => {
    const march = Date.parse('2027-03-12T15:00:00Z');
    expect(parseRequestedTime('March 15 at 9am', { timezone: 'America/New_York', now: march })).toEqual({ from: '2027-03-15T13:00:00Z', to: '2027-03-15T14:00:00Z' });
  });

  it('reads other languages', () => {
    expect(parseRequestedTime('demain à 19h', { timezone: 'Europe/Paris', locale: 'fr-FR', now })).toEqual({ from: '2026-12-05T18:00:00Z', to: '2026-12-05T19:00:00Z' });
  });
});

describe('formatSlot', () => {
  it('shows the same instant in the business’s and the contact’s zone and language', () => {
    const slot = { startsAt: '2027-01-08T14:00:00.000Z' };
    expect(formatSlot(slot, { timezone: 'Europe/Berlin', locale: 'de-DE' })).toBe('Fr., 8. Jan., 15:00 MEZ');
    expect(formatSlot(slot, { timezone: 'America/New_York', locale: 'en-US' })).toBe('Fri, Jan 8, 9:00 AM EST');
    expect(formatSlot(slot, { timezone: 'America/New_York', locale: 'en-US', withZone: false })).toBe('Fri, Jan 8, 9:00 AM');
  });
});
