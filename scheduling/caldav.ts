/**
 * A staff member's CalDAV calendar, through `tsdav`: find the calendar (connection test), put a
 * booking as a VEVENT under a stable UID (`appt-{id}@switchboard`) and keep its href/etag, delete
 * it, and read the calendar's other events in a time range as busy blocks (recurring ones expanded
 * in the range with node-ical, so a weekly meeting blocks each of its weeks).
 *
 * Every request goes through the guarded fetch (net/guarded-fetch.ts): the URL is typed by a tenant,
 * so it must not reach the platform's own network. A 401/403 anywhere throws at once: a listing
 * that silently came back empty would free the staff member's busy times and, worse, make every
 * booking look deleted from the calendar.
 */
import { createRequire } from 'node:module';
import type * as Tsdav from 'tsdav';
import type { DAVCalendar } from 'tsdav';
import type * as NodeIcal from 'node-ical';
import type { VEvent } from 'node-ical';
import { AppError } from '../core/errors';
import type { AddressPolicy } from '../net/address-policy';
import { guardedFetcher, isPermanentRefusal, OutboundTimeoutError } from '../net/guarded-fetch';

/** tsdav and node-ical load when a calendar is first reached, not in every API and worker at start. */
let libraries: { dav: typeof Tsdav; ical: typeof NodeIcal } | undefined;
const calendarLibraries = () => {
  if (!libraries) {
    const load = createRequire(import.meta.url);
    libraries = { dav: load('tsdav') as typeof Tsdav, ical: load('node-ical') as typeof NodeIcal };
  }
  return libraries;
};

export interface CalDavCredentials {
  /** The server (or principal, or calendar) URL the staff member was given. */
  url: string;
  username: string;
  password: string;
  /** The calendar collection chosen at the connection test; discovered again when absent. */
  calendarUrl?: string | null;
}

export interface CalDavOptions {
  policy: AddressPolicy;
  timeoutMs?: number;
}

export interface CalendarInfo {
  url: string;
  displayName: string;
}

export interface BusyEvent {
  uid: string;
  startsAt: string;
  endsAt: string;
  summary: string;
}

/** One of our own events as the calendar holds it. */
export interface OwnEvent {
  uid: string;
  href: string;
  etag: string | null;
  startsAt: string;
  endsAt: string | null;
}

export interface StoredEvent {
  href: string;
  etag: string | null;
}

const OWN_UID = /^appt-([0-9a-f-]{36})@switchboard$/i;

/** The UID of a booking's calendar event: stable across reschedules, so the event is updated in place. */
export const appointmentEventUid = (appointmentId: string) => `appt-${appointmentId}@switchboard`;
/** The appointment id in one of our UIDs; null for any other event. */
export const appointmentIdOfUid = (uid: string): string | null => OWN_UID.exec(uid)?.[1] ?? null;

/** Why the calendar could not be used, with the settings field a person should look at. */
export class CalendarAccessError extends AppError {
  constructor(
    readonly reason: 'unauthorized' | 'not_found' | 'unreachable' | 'refused',
    message: string,
  ) {
    super(reason === 'unreachable' ? 'upstream_unavailable' : 'bad_request', message, { field: reason === 'unauthorized' ? 'password' : 'url' });
    this.name = 'CalendarAccessError';
  }
}

interface Session {
  headers: Record<string, string>;
  fetch: typeof fetch;
}

function session(creds: CalDavCredentials, opts: CalDavOptions): Session {
  const guarded = guardedFetcher({ policy: opts.policy, timeoutMs: opts.timeoutMs ?? 20_000, maxBytes: 20 * 1024 * 1024 });
  const checked = (async (input: string | URL | Request, init?: RequestInit) => {
    let res: Response;
    try {
      res = await guarded(input, init);
    } catch (err) {
      if (isPermanentRefusal(err)) throw new CalendarAccessError('refused', `the calendar server is not reachable from the platform: ${err.message}`);
      if (err instanceof OutboundTimeoutError) throw new CalendarAccessError('unreachable', 'the calendar server did not answer in time');
      throw new CalendarAccessError('unreachable', `the calendar server could not be reached: ${(err as Error).message}`);
    }
    if (res.status === 401 || res.status === 403) throw new CalendarAccessError('unauthorized', 'the calendar server refused the username or password');
    if (res.status >= 500) throw new CalendarAccessError('unreachable', `the calendar server answered ${res.status}`);
    return res;
  }) as typeof fetch;
  return { headers: calendarLibraries().dav.getBasicAuthHeaders({ username: creds.username, password: creds.password }), fetch: checked };
}

const nameOf = (c: DAVCalendar) => (typeof c.displayName === 'string' && c.displayName ? c.displayName : new URL(c.url).pathname);
const sameCollection = (a: string, b: string) => a.replace(/\/?$/, '/') === b.replace(/\/?$/, '/');

/**
 * Logs in, lists the event calendars and picks `calendarUrl` (or the first one): the connection
 * test, and the first step of every sync.
 */
export async function discoverCalendars(creds: CalDavCredentials, opts: CalDavOptions): Promise<{ calendar: CalendarInfo; calendars: CalendarInfo[] }> {
  let url: URL;
  try {
    url = new URL(creds.url);
  } catch {
    throw new AppError('validation_failed', 'not a URL', { field: 'url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('validation_failed', 'the calendar URL must be http or https', { field: 'url' });
  const s = session(creds, opts);
  let found: DAVCalendar[];
  try {
    const account = await calendarLibraries().dav.createAccount({ account: { serverUrl: url.href, accountType: 'caldav' }, headers: s.headers, fetch: s.fetch });
    found = await calendarLibraries().dav.fetchCalendars({ account, headers: s.headers, fetch: s.fetch });
  } catch (err) {
    if (err instanceof CalendarAccessError) throw err;
    throw new CalendarAccessError('not_found', `no CalDAV account at this URL (${(err as Error).message})`);
  }
  const calendars = found.filter((c) => !c.components?.length || c.components.includes('VEVENT')).map((c) => ({ url: new URL(c.url, url).href, displayName: nameOf(c) }));
  const chosen = creds.calendarUrl ? calendars.find((c) => sameCollection(c.url, creds.calendarUrl!)) : calendars[0];
  if (!chosen) throw new CalendarAccessError('not_found', creds.calendarUrl ? 'the chosen calendar is no longer on the server' : 'the account has no calendar for events');
  return { calendar: chosen, calendars };
}

/** A connected calendar: the requests a sync makes against one collection. */
export class CalDavCalendar {
  private readonly s: Session;
  private readonly calendar: DAVCalendar;

  constructor(
    creds: CalDavCredentials & { calendarUrl: string },
    opts: CalDavOptions,
  ) {
    this.s = session(creds, opts);
    this.calendar = { url: creds.calendarUrl.replace(/\/?$/, '/') };
  }

  get url(): string {
    return this.calendar.url;
  }

  /**
   * Creates or overwrites our event. The booking is the source of truth: an event edited in the
   * calendar (etag changed) is written over, and one deleted there is only re-created when the
   * caller asks (a deleted event means the booking is cancelled: see `exists`).
   */
  async put(uid: string, ics: string, stored: StoredEvent | null): Promise<StoredEvent> {
    const href = stored?.href ?? new URL(`${encodeURIComponent(uid)}.ics`, this.calendar.url).href;
    const res = stored
      ? await calendarLibraries().dav.updateCalendarObject({ calendarObject: { url: href, data: ics }, headers: this.s.headers, fetch: this.s.fetch })
      : await calendarLibraries().dav.createCalendarObject({ calendar: this.calendar, iCalString: ics, filename: `${encodeURIComponent(uid)}.ics`, headers: { ...this.s.headers, 'If-None-Match': '*' }, fetch: this.s.fetch });
    // 412 on create: an event with our UID's file name is already there (an earlier attempt wrote it).
    if (res.status === 412 && !stored) return this.put(uid, ics, { href, etag: null });
    if (!res.ok) throw new CalendarAccessError(res.status === 404 || res.status === 409 ? 'not_found' : 'unreachable', `the calendar refused the event: ${res.status} ${res.statusText}`);
    return { href, etag: res.headers.get('etag') ?? (await this.etagOf(href)) };
  }

  async delete(event: StoredEvent): Promise<void> {
    const res = await calendarLibraries().dav.deleteCalendarObject({ calendarObject: { url: event.href, etag: undefined }, headers: this.s.headers, fetch: this.s.fetch });
    // Already gone is what we wanted.
    if (!res.ok && res.status !== 404 && res.status !== 410) throw new CalendarAccessError('unreachable', `the calendar refused the deletion: ${res.status}`);
  }

  /** Whether the event is still there; only a definite 404/410 says no. */
  async exists(href: string): Promise<boolean> {
    const res = await this.s.fetch(href, { method: 'GET', headers: this.s.headers });
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 404 || res.status === 410) return false;
    if (!res.ok) throw new CalendarAccessError('unreachable', `the calendar answered ${res.status} for ${href}`);
    return true;
  }

  private async etagOf(href: string): Promise<string | null> {
    const res = await this.s.fetch(href, { method: 'HEAD', headers: this.s.headers });
    return res.ok ? res.headers.get('etag') : null;
  }

  /**
   * The events overlapping [from, to): others' as busy blocks (recurrences expanded, cancelled
   * and "free" events left out), ours as they stand (href, etag), for the sync to compare.
   */
  async list(from: Date, to: Date): Promise<{ busy: BusyEvent[]; own: OwnEvent[] }> {
    const objects = await calendarLibraries().dav.fetchCalendarObjects({ calendar: this.calendar, timeRange: { start: from.toISOString(), end: to.toISOString() }, headers: this.s.headers, fetch: this.s.fetch });
    const busy: BusyEvent[] = [];
    const own: OwnEvent[] = [];
    for (const object of objects) {
      if (typeof object.data !== 'string') continue;
      const href = new URL(object.url, this.calendar.url).href;
      const parsed = calendarLibraries().ical.sync.parseICS(object.data);
      for (const component of Object.values(parsed)) {
        if (!component || component.type !== 'VEVENT') continue;
        const event = component as VEvent;
        if (appointmentIdOfUid(event.uid)) {
          own.push({ uid: event.uid, href, etag: object.etag ?? null, startsAt: event.start.toISOString(), endsAt: event.end?.toISOString() ?? null });
          continue;
        }
        busy.push(...busyTimes(event, from, to));
      }
    }
    return { busy, own };
  }
}

const text = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' && 'val' in v ? String((v as { val: unknown }).val) : '');

/** An event's occurrences inside [from, to) as busy blocks. */
export function busyTimes(event: VEvent, from: Date, to: Date): BusyEvent[] {
  if (event.transparency === 'TRANSPARENT' || event.status === 'CANCELLED') return [];
  const instances = calendarLibraries().ical.expandRecurringEvent(event, { from, to, expandOngoing: true });
  const out: BusyEvent[] = [];
  for (const instance of instances) {
    if (instance.event.transparency === 'TRANSPARENT' || instance.event.status === 'CANCELLED') continue;
    const start = instance.start;
    // An all-day event without DTEND lasts its day (RFC 5545 3.6.1); a timed one without it is an instant.
    const end = instance.end && instance.end > start ? instance.end : new Date(start.getTime() + (instance.isFullDay ? 86_400_000 : 0));
    if (end <= from || start >= to || end <= start) continue;
    out.push({ uid: event.uid, startsAt: start.toISOString(), endsAt: end.toISOString(), summary: text(instance.summary).slice(0, 200) });
  }
  return out;
}
