/**
 * scheduling/caldav.ts and scheduling/ics.ts against a real Radicale: the connection test (right
 * and wrong passwords, a URL that is no CalDAV server, an internal address refused by the policy),
 * a booking put, updated and deleted as a VEVENT under its stable UID, and other events read back
 * as busy blocks with recurrences expanded, cancelled and "free" events left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ical, { type VEvent } from 'node-ical';
import type { AppointmentDto } from '../../core/api/scheduling';
import { appointmentEventUid, CalDavCalendar, CalendarAccessError, discoverCalendars } from '../../scheduling/caldav';
import { appointmentIcs, staffEventIcs, staffFeedIcs, type IcsAppointment } from '../../scheduling/ics';
import { deleteRaw, getRaw, putRawEvent, startRadicale, type Radicale } from '../fakes/radicale';

const policy = { allowedPrivate: ['127.0.0.1'] };
let radicale: Radicale;

beforeAll(async () => {
  radicale = await startRadicale([
    { username: 'anna', password: 'anna-pass' },
    { username: 'ben', password: 'ben-pass' },
  ]);
});
afterAll(async () => radicale?.close());

const appt = (over: Partial<IcsAppointment> = {}): IcsAppointment => ({
  id: '3f0c2a56-8d1e-4c1b-9a57-2b6f0e4d9c11',
  startsAt: '2027-03-05T09:00:00.000Z',
  endsAt: '2027-03-05T09:45:00.000Z',
  status: 'booked',
  serviceName: 'Haircut',
  staffName: 'Anna',
  customerName: 'Chloé Martin',
  customerEmail: 'chloe@example.com',
  notes: 'first visit',
  timezone: 'Europe/Paris',
  updatedAt: '2027-03-01T10:00:00.000Z',
  ...over,
});
const opts = { organizer: { name: 'Salon Lumière', email: 'desk@salon.example' }, location: { name: 'Salon Lumière', address: '3 rue de la Paix, Paris' } };

const vevent = (uid: string, lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Other app//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20270101T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('connection test', () => {
  it('finds the calendar from the server URL with the right password', async () => {
    const anna = radicale.users.anna;
    const found = await discoverCalendars({ url: radicale.url, username: 'anna', password: 'anna-pass' }, { policy });
    expect(found.calendar.url).toBe(anna.calendarUrl);
    expect(found.calendars.map((c) => c.displayName)).toEqual(['Work']);
  });

  it('names the password when the server refuses it', async () => {
    const err = await discoverCalendars({ url: radicale.url, username: 'anna', password: 'wrong' }, { policy }).catch((e) => e);
    expect(err).toBeInstanceOf(CalendarAccessError);
    expect(err).toMatchObject({ reason: 'unauthorized', field: 'password', status: 400 });
  });

  it('names the URL when there is no CalDAV server there, and refuses internal addresses', async () => {
    const notDav = await discoverCalendars({ url: `${radicale.url}.web/nothing`, username: 'anna', password: 'anna-pass', calendarUrl: `${radicale.url}anna/missing/` }, { policy }).catch((e) => e);
    expect(notDav).toMatchObject({ field: 'url' });
    const internal = await discoverCalendars({ url: radicale.url, username: 'anna', password: 'anna-pass' }, { policy: { allowedPrivate: [] } }).catch((e) => e);
    expect(internal).toMatchObject({ reason: 'refused', field: 'url' });
    expect(await discoverCalendars({ url: 'ftp://x', username: 'a', password: 'b' }, { policy }).catch((e) => e)).toMatchObject({ field: 'url', status: 400 });
  });
});

describe('our events', () => {
  it('puts a booking, updates it in place on reschedule, and deletes it', async () => {
    const anna = radicale.users.anna;
    const cal = new CalDavCalendar({ url: radicale.url, username: 'anna', password: 'anna-pass', calendarUrl: anna.calendarUrl }, { policy });
    const uid = appointmentEventUid(appt().id);
    const stored = await cal.put(uid, staffEventIcs(appt(), opts), null);
    expect(stored.href.startsWith(anna.calendarUrl)).toBe(true);
    expect(stored.etag).toBeTruthy();
    const first = await getRaw(anna, stored.href);
    expect(first.body).toContain(`UID:${uid}`);
    // No METHOD, ORGANIZER or ATTENDEE in a stored event: a server that schedules (RFC 6638) would
    // otherwise email the customer an invitation from the staff member's account.
    expect(first.body).not.toMatch(/METHOD:|ORGANIZER|ATTENDEE/);

    const moved = await cal.put(uid, staffEventIcs(appt({ startsAt: '2027-03-05T13:00:00.000Z', endsAt: '2027-03-05T13:45:00.000Z', updatedAt: '2027-03-02T10:00:00.000Z' }), opts), stored);
    expect(moved.href).toBe(stored.href);
    expect(moved.etag).not.toBe(stored.etag);
    expect((await getRaw(anna, stored.href)).body).toContain('DTSTART:20270305T130000Z');

    const listed = await cal.list(new Date('2027-03-05T00:00:00Z'), new Date('2027-03-06T00:00:00Z'));
    expect(listed.own).toEqual([{ uid, href: stored.href, etag: moved.etag, startsAt: '2027-03-05T13:00:00.000Z', endsAt: '2027-03-05T13:45:00.000Z' }]);
    expect(listed.busy).toEqual([]);

    expect(await cal.exists(stored.href)).toBe(true);
    await cal.delete(moved);
    expect(await cal.exists(stored.href)).toBe(false);
    await cal.delete(moved); // gone already: nothing to do
  });

  it('a second create of the same UID overwrites instead of failing (a retried push)', async () => {
    const anna = radicale.users.anna;
    const cal = new CalDavCalendar({ url: radicale.url, username: 'anna', password: 'anna-pass', calendarUrl: anna.calendarUrl }, { policy });
    const a = appt({ id: '9d7c3e1a-2b4f-4e6a-8c0d-1f2e3a4b5c6d' });
    const first = await cal.put(appointmentEventUid(a.id), staffEventIcs(a, opts), null);
    const again = await cal.put(appointmentEventUid(a.id), staffEventIcs(a, opts), null);
    expect(again.href).toBe(first.href);
    await cal.delete(again);
  });

  it('one staff member never reaches another one’s calendar', async () => {
    const cal = new CalDavCalendar({ url: radicale.url, username: 'ben', password: 'ben-pass', calendarUrl: radicale.users.anna.calendarUrl }, { policy });
    await expect(cal.list(new Date('2027-03-01T00:00:00Z'), new Date('2027-03-10T00:00:00Z'))).rejects.toMatchObject({ reason: 'unauthorized' });
  });
});

describe('busy blocks', () => {
  it('reads other events in the range, expands recurrences, skips free and cancelled ones and ours', async () => {
    const ben = radicale.users.ben;
    const cal = new CalDavCalendar({ url: radicale.url, username: 'ben', password: 'ben-pass', calendarUrl: ben.calendarUrl }, { policy });
    await putRawEvent(ben, 'dentist', vevent('dentist-1', ['DTSTART:20270308T140000Z', 'DTEND:20270308T150000Z', 'SUMMARY:Dentist']));
    await putRawEvent(ben, 'weekly', vevent('weekly-1', ['DTSTART;TZID=Europe/Paris:20270301T090000', 'DTEND;TZID=Europe/Paris:20270301T100000', 'RRULE:FREQ=WEEKLY;COUNT=10', 'EXDATE;TZID=Europe/Paris:20270315T090000', 'SUMMARY:Team meeting']));
    await putRawEvent(ben, 'free', vevent('free-1', ['DTSTART:20270309T080000Z', 'DTEND:20270309T090000Z', 'TRANSP:TRANSPARENT', 'SUMMARY:Reminder']));
    await putRawEvent(ben, 'cancelled', vevent('cancelled-1', ['DTSTART:20270310T080000Z', 'DTEND:20270310T090000Z', 'STATUS:CANCELLED', 'SUMMARY:Called off']));
    await putRawEvent(ben, 'outside', vevent('outside-1', ['DTSTART:20270501T080000Z', 'DTEND:20270501T090000Z', 'SUMMARY:Later']));
    const own = await cal.put(appointmentEventUid(appt().id), staffEventIcs(appt({ startsAt: '2027-03-09T12:00:00.000Z', endsAt: '2027-03-09T12:30:00.000Z' }), opts), null);

    const { busy, own: ours } = await cal.list(new Date('2027-03-07T00:00:00Z'), new Date('2027-03-23T00:00:00Z'));
    const byStart = [...busy].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    expect(byStart).toEqual([
      { uid: 'weekly-1', startsAt: '2027-03-08T08:00:00.000Z', endsAt: '2027-03-08T09:00:00.000Z', summary: 'Team meeting' },
      { uid: 'dentist-1', startsAt: '2027-03-08T14:00:00.000Z', endsAt: '2027-03-08T15:00:00.000Z', summary: 'Dentist' },
      // 15 March is excluded (EXDATE); Paris moves to summer time on 28 March, after the range.
      { uid: 'weekly-1', startsAt: '2027-03-22T08:00:00.000Z', endsAt: '2027-03-22T09:00:00.000Z', summary: 'Team meeting' },
    ]);
    expect(ours.map((o) => o.href)).toEqual([own.href]);
    await deleteRaw(ben, own.href);
  });
});

describe('iCalendar text', () => {
  it('the confirmation attachment is an invitation with organizer, attendee, location and time zone', () => {
    const text = appointmentIcs(appt(), opts);
    expect(text).toContain('METHOD:REQUEST');
    expect(text).toContain('X-WR-TIMEZONE:Europe/Paris');
    const parsed = Object.values(ical.sync.parseICS(text)).find((c) => c?.type === 'VEVENT') as VEvent;
    expect(parsed.uid).toBe(appointmentEventUid(appt().id));
    expect(parsed.start.toISOString()).toBe('2027-03-05T09:00:00.000Z');
    expect(parsed.end?.toISOString()).toBe('2027-03-05T09:45:00.000Z');
    expect(String(parsed.location)).toBe('Salon Lumière, 3 rue de la Paix, Paris');
    expect(JSON.stringify(parsed.organizer).toLowerCase()).toContain('mailto:desk@salon.example');
    expect(JSON.stringify(parsed.attendee).toLowerCase()).toContain('mailto:chloe@example.com');
    // The wall-clock time in the business's zone, where a person reads it: 10:00 in Paris.
    expect(String(parsed.description)).toContain('10:00');
    expect(appointmentIcs(appt({ status: 'cancelled' }), opts)).toContain('METHOD:CANCEL');
  });

  it('takes the service layer’s AppointmentDto as it is (the confirmation email attaches it)', () => {
    const dto: AppointmentDto = {
      ...appt(),
      status: 'confirmed',
      notes: '',
      serviceId: 's',
      locationId: 'l',
      staffId: 'st',
      resourceId: null,
      resourceName: null,
      contactId: null,
      conversationId: null,
      channel: null,
      customerPhone: null,
      customerTimezone: 'America/New_York',
      source: 'page',
      seriesId: null,
      recurrenceRule: null,
      calendarEventUid: null,
      cancelledAt: null,
      cancelReason: null,
      cancelledBy: null,
      createdAt: '2027-03-01T10:00:00.000Z',
      updatedAt: '2027-03-01T10:00:00.000Z',
    };
    const text = appointmentIcs(dto, opts);
    expect(text).toContain('STATUS:CONFIRMED');
    expect(text).toContain(`UID:${appointmentEventUid(dto.id)}`);
  });

  it('a reschedule raises SEQUENCE so clients replace the event', () => {
    const seq = (t: string) => Number(/SEQUENCE:(\d+)/.exec(t)![1]);
    expect(seq(appointmentIcs(appt({ updatedAt: '2027-03-02T10:00:00.000Z' }), opts))).toBeGreaterThan(seq(appointmentIcs(appt(), opts)));
  });

  it('the feed lists every given booking as a published calendar', () => {
    const text = staffFeedIcs('Anna', 'Europe/Paris', [
      { appointment: appt(), opts },
      { appointment: appt({ id: '9d7c3e1a-2b4f-4e6a-8c0d-1f2e3a4b5c6d', status: 'cancelled' }), opts },
    ]);
    expect(text).toContain('METHOD:PUBLISH');
    const events = Object.values(ical.sync.parseICS(text)).filter((c) => c?.type === 'VEVENT') as VEvent[];
    expect(events.map((e) => e.status)).toEqual(['TENTATIVE', 'CANCELLED']);
    expect(String(events[0].summary)).toBe('Haircut: Chloé Martin');
  });
});
