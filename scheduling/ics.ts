/**
 * iCalendar text for bookings, with `ical-generator`: the `.ics` a confirmation email carries
 * (METHOD:REQUEST, the business as organizer, the customer as attendee, so mail clients offer
 * "add to calendar"), the event a staff member's CalDAV calendar holds, and the private read-only
 * feed of a staff member's bookings that Google/Apple/Outlook subscribe to.
 *
 * Times are written in UTC (`…Z`), which every client reads the same way; the location's time zone
 * travels as X-WR-TIMEZONE and in the description's wall-clock time, where a person reads it.
 * Every event of one booking has the same UID as its CalDAV event, so a client that imported the
 * confirmation and subscribed to the feed sees one event, updated by SEQUENCE.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalCalendar, type ICalEvent } from 'ical-generator';
import type { IcsAppointment, IcsPlace } from '../core/calendar-sync';
import { appointmentEventUid } from './caldav';

export type { IcsAppointment };

export interface IcsOptions {
  /** The business, as the organizer: its name and a reply address. */
  organizer: { name: string; email: string };
  /** The location's name and postal address, shown by calendar apps. */
  location?: IcsPlace | null;
  /** Where the customer manages the booking (the public page), when there is one. */
  url?: string | null;
  /** "PUBLISH" for an event put in a calendar; "REQUEST" for an invitation by email. */
  method?: 'REQUEST' | 'PUBLISH' | 'CANCEL';
}

/** Where and what, without the invitation parts: for the staff member's own calendar and feed. */
export type StaffIcsOptions = Pick<IcsOptions, 'location' | 'url'>;

const PROD_ID = { company: 'Switchboard', product: 'Appointments', language: 'EN' };

/** SEQUENCE from updatedAt: strictly grows with every change of the booking (seconds since 2025). */
const sequenceOf = (a: IcsAppointment) => (a.updatedAt ? Math.max(0, Math.floor((Date.parse(a.updatedAt) - Date.UTC(2025, 0, 1)) / 1000)) : 0);

function wallClock(a: IcsAppointment): string {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: a.timezone, dateStyle: 'full', timeStyle: 'short' });
  return `${fmt.format(new Date(a.startsAt))} – ${new Intl.DateTimeFormat('en-GB', { timeZone: a.timezone, timeStyle: 'short' }).format(new Date(a.endsAt))} (${a.timezone})`;
}

function addEvent(cal: ICalCalendar, a: IcsAppointment, opts: StaffIcsOptions & Partial<IcsOptions>, audience: 'customer' | 'staff'): ICalEvent {
  const cancelled = a.status === 'cancelled' || opts.method === 'CANCEL';
  const lines = [`${a.serviceName}${a.staffName ? ` with ${a.staffName}` : ''}`, wallClock(a)];
  if (audience === 'staff') lines.push(`Customer: ${a.customerName}${a.customerEmail ? ` <${a.customerEmail}>` : ''}`);
  if (a.notes) lines.push(`Notes: ${a.notes}`);
  const event = cal.createEvent({
    id: appointmentEventUid(a.id),
    start: new Date(a.startsAt),
    end: new Date(a.endsAt),
    stamp: a.updatedAt ? new Date(a.updatedAt) : new Date(a.startsAt),
    sequence: sequenceOf(a),
    summary: audience === 'staff' ? `${a.serviceName}: ${a.customerName}` : `${a.serviceName}${opts.location ? ` at ${opts.location.name}` : ''}`,
    description: lines.join('\n'),
    location: opts.location ? [opts.location.name, opts.location.address].filter(Boolean).join(', ') : null,
    url: opts.url ?? null,
    status: cancelled ? ICalEventStatus.CANCELLED : a.status === 'booked' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
  });
  // Only the customer's copy invites: in a staff calendar an organizer and attendee would make a
  // scheduling server (RFC 6638: iCloud, Nextcloud) email the customer from the staff's account.
  if (audience === 'staff' || !opts.organizer) return event;
  event.organizer({ name: opts.organizer.name, email: opts.organizer.email });
  if (a.customerEmail) {
    event.createAttendee({
      email: a.customerEmail,
      name: a.customerName,
      role: ICalAttendeeRole.REQ,
      status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    });
  }
  return event;
}

function calendar(name: string, timezone: string | null, method: IcsOptions['method'] | null): ICalCalendar {
  const cal = ical({ prodId: PROD_ID, name });
  if (method) cal.method(ICalCalendarMethod[method]);
  if (timezone) cal.x([['X-WR-TIMEZONE', timezone]]);
  return cal;
}

/** The confirmation email's attachment (`invite.ics`, content type `text/calendar; method=REQUEST`). */
export function appointmentIcs(appointment: IcsAppointment, opts: IcsOptions): string {
  const method = opts.method ?? (appointment.status === 'cancelled' ? 'CANCEL' : 'REQUEST');
  const cal = calendar(appointment.serviceName, appointment.timezone, method);
  addEvent(cal, appointment, { ...opts, method }, 'customer');
  return cal.toString();
}

/** The VEVENT stored in the staff member's CalDAV calendar: no METHOD (RFC 4791 forbids it there). */
export function staffEventIcs(appointment: IcsAppointment, opts: StaffIcsOptions): string {
  const cal = calendar(appointment.serviceName, appointment.timezone, null);
  addEvent(cal, appointment, opts, 'staff');
  return cal.toString();
}

/** A staff member's subscription feed: their bookings, cancelled ones marked so clients drop them. */
export function staffFeedIcs(staffName: string, timezone: string | null, appointments: { appointment: IcsAppointment; opts: StaffIcsOptions }[]): string {
  const cal = calendar(`${staffName} — bookings`, timezone, 'PUBLISH');
  cal.ttl(15 * 60);
  for (const { appointment, opts } of appointments) addEvent(cal, appointment, opts, 'staff');
  return cal.toString();
}
