/**
 * Two-way calendar sync end to end against a real Radicale, through the API, the real worker and
 * the `calendarSync` workflow: connecting a staff member's calendar (tested first; the password
 * never comes back) starts the sync; a booking appears in the calendar and moves with a reschedule;
 * an event created in the calendar blocks availability; deleting our event in the calendar cancels
 * the booking; the private feed serves that staff member's bookings only, to anyone with the token
 * and to no one without it; another tenant reaches none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ical, { type VEvent } from 'node-ical';
import type { CalendarSyncProgress } from '../../core/calendar-sync';
import { appointmentWorkflowId, calendarSyncWorkflowId } from '../../core/ids';
import { resumeCalendarSyncs } from '../../ingress/resume-loops';
import { Appointment, CalendarBusyBlock, Location, Service, StaffMember } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { secretBoxFromConfig } from '../../db/secrets';
import { maskFeedToken } from '../../api/routes/calendar-feeds';
import { appointmentEventUid } from '../../scheduling/caldav';
import { bookAppointment, findSlots, rescheduleAppointment } from '../../scheduling/service';
import { calendarSyncProgressQuery } from '../../workflows/messages';
import { deleteRaw, getRaw, putRawEvent, startRadicale, type Radicale } from '../fakes/radicale';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

let radicale: Radicale;
let stack: Stack;
let tenant: { tenantId: string; apiKey: string };
let other: { tenantId: string; apiKey: string };
let anna: StaffMember;
let ben: StaffMember;
let service: Service;

/** Next Monday 00:00 UTC at least two days ahead: every test books on the same future week. */
const monday = (() => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + 2 + ((8 - ((d.getUTCDay() + 2) % 7)) % 7));
  return d;
})();
const at = (day: number, hh: number, mm = 0) => new Date(monday.getTime() + day * 86_400_000 + (hh * 60 + mm) * 60_000).toISOString();
const allDays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '08:00', end: '18:00' }]]));

async function seed(tenantId: string, names: string[]) {
  const em = tenantEm(stack.orm, tenantId);
  const location = em.create(Location, { tenant: tenantId, name: 'Salon Lumière', timezone: 'UTC', address: '3 rue de la Paix' });
  const staff = names.map((name) => em.create(StaffMember, { tenant: tenantId, location: location.id, name, email: null, userId: null, weeklyHours: allDays, active: true, caldav: null }));
  const svc = em.create(Service, { tenant: tenantId, location: location.id, name: 'Haircut', durationMinutes: 60, staffIds: staff.map((s) => s.id), resourceIds: [], slotIntervalMinutes: 60, maxHorizonDays: 365 });
  await em.flush();
  return { staff, service: svc };
}

const progress = (staffId: string, tenantId = tenant.tenantId) => stack.temporal.workflow.getHandle(calendarSyncWorkflowId(tenantId, staffId)).query(calendarSyncProgressQuery);

/** Asks the loop to sync now and waits until that sync is done. */
async function syncNow(staffId: string): Promise<CalendarSyncProgress> {
  const before = (await progress(staffId)).syncs;
  await stack.temporal.workflow.getHandle(calendarSyncWorkflowId(tenant.tenantId, staffId)).signal('syncNow');
  let last!: CalendarSyncProgress;
  await waitUntil(async () => {
    last = await progress(staffId);
    return last.syncs > before && last.lastSyncAt !== null && last.last !== null;
  }, 30_000, 'a sync after syncNow');
  return last;
}

const connect = (staffId: string, body: Record<string, unknown>, apiKey = tenant.apiKey) => stack.request('PUT', `/v1/calendars/staff/${staffId}/caldav`, { apiKey, body });

beforeAll(async () => {
  radicale = await startRadicale([
    { username: 'anna', password: 'anna-pass' },
    { username: 'ben', password: 'ben-pass' },
  ]);
  // An hour between syncs: a booking in the calendar within seconds is the booking's own sync request.
  stack = await startStack({ ...sharedServers(), env: { CALENDAR_SYNC_SECONDS: '3600' } });
  tenant = await stack.createTenant();
  other = await stack.createTenant();
  const seeded = await seed(tenant.tenantId, ['Anna', 'Ben']);
  [anna, ben] = seeded.staff;
  service = seeded.service;
});
afterAll(async () => {
  for (const s of [anna, ben]) if (s) await stack?.temporal.workflow.getHandle(calendarSyncWorkflowId(tenant.tenantId, s.id)).cancel().catch(() => undefined);
  await stack?.close();
  await radicale?.close();
});

describe('connecting a calendar', () => {
  it('refuses a wrong password naming the field, saves a right one without ever returning it, and starts the sync', async () => {
    const wrong = await connect(anna.id, { url: radicale.url, username: 'anna', password: 'nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ field: 'password' });
    const bad = await connect(anna.id, { url: 'not a url', username: 'anna', password: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('url');

    const saved = await connect(anna.id, { url: radicale.url, username: 'anna', password: 'anna-pass' });
    expect(saved.status).toBe(200);
    expect(saved.body.caldav).toEqual({ url: radicale.url, username: 'anna', calendarUrl: radicale.users.anna.calendarUrl });
    expect(JSON.stringify(saved.body)).not.toContain('anna-pass');
    const stored = await tenantEm(stack.orm, tenant.tenantId).findOneOrFail(StaffMember, { id: anna.id });
    expect(stored.caldav?.passwordEncrypted).not.toContain('anna-pass');

    const shown = await stack.request('GET', `/v1/calendars/staff/${anna.id}`, { apiKey: tenant.apiKey });
    expect(shown.body).toEqual({ staffId: anna.id, caldav: saved.body.caldav, feedUrl: expect.stringMatching(/\/v1\/calendars\/feeds\/[A-Za-z0-9_-]+\.ics$/) });
    expect((await stack.request('POST', `/v1/calendars/staff/${anna.id}/caldav/test`, { apiKey: tenant.apiKey })).body).toMatchObject({ ok: true, calendar: { url: radicale.users.anna.calendarUrl } });
    await waitUntil(async () => (await progress(anna.id).catch(() => ({ syncs: 0 }))).syncs >= 1, 30_000, 'the first sync');
    expect((await connect(ben.id, { url: radicale.url, username: 'ben', password: 'ben-pass' })).status).toBe(200);
  });

  it('a worker start resumes the sync of every connected staff member whose loop is gone', async () => {
    const handle = stack.temporal.workflow.getHandle(calendarSyncWorkflowId(tenant.tenantId, ben.id));
    await handle.terminate('gone, as after a namespace reset');
    expect(await resumeCalendarSyncs(stack.orm, stack.temporal, stack.config.TEMPORAL_TASK_QUEUE)).toBeGreaterThanOrEqual(2);
    const resumed = stack.temporal.workflow.getHandle(calendarSyncWorkflowId(tenant.tenantId, ben.id));
    expect((await resumed.describe()).status.name).toBe('RUNNING');
    await waitUntil(async () => (await progress(ben.id)).syncs >= 1, 30_000, 'the resumed loop synced');
  });

  it('another tenant sees, changes and tests nothing of it', async () => {
    expect((await stack.request('GET', `/v1/calendars/staff/${anna.id}`, { apiKey: other.apiKey })).status).toBe(404);
    expect((await connect(anna.id, { url: radicale.url, username: 'anna', password: 'anna-pass' }, other.apiKey)).status).toBe(404);
    expect((await stack.request('POST', `/v1/calendars/staff/${anna.id}/caldav/test`, { apiKey: other.apiKey })).status).toBe(404);
    expect((await stack.request('POST', `/v1/calendars/staff/${anna.id}/feed-token`, { apiKey: other.apiKey })).status).toBe(404);
    expect((await stack.request('DELETE', `/v1/calendars/staff/${anna.id}/caldav`, { apiKey: other.apiKey })).status).toBe(404);
    expect((await tenantEm(stack.orm, tenant.tenantId).findOneOrFail(StaffMember, { id: anna.id })).caldav).not.toBeNull();
  });
});

describe('sync', () => {
  it('puts a booking in the calendar and moves it with a reschedule', async () => {
    const em = tenantEm(stack.orm, tenant.tenantId);
    const booked = await bookAppointment(em, tenant.tenantId, { serviceId: service.id, staffId: anna.id, startsAt: at(0, 9), customer: { name: 'Chloé Martin', email: 'chloe@example.com' }, source: 'api' });
    const last = await syncNow(anna.id);
    expect(last.last).toMatchObject({ error: null, pushed: 1 });
    const href = `${radicale.users.anna.calendarUrl}${encodeURIComponent(appointmentEventUid(booked.id))}.ics`;
    const first = await getRaw(radicale.users.anna, href);
    expect(first.status).toBe(200);
    expect(first.body).toContain(`DTSTART:${at(0, 9).replace(/[-:]/g, '').replace('.000', '')}`);
    expect(first.body).toContain('Haircut: Chloé Martin');

    await rescheduleAppointment(tenantEm(stack.orm, tenant.tenantId), tenant.tenantId, booked.id, { startsAt: at(0, 11) });
    expect((await syncNow(anna.id)).last).toMatchObject({ pushed: 1 });
    expect((await getRaw(radicale.users.anna, href)).body).toContain(`DTSTART:${at(0, 11).replace(/[-:]/g, '').replace('.000', '')}`);
    // Nothing changed since: the next sync writes nothing.
    expect((await syncNow(anna.id)).last).toMatchObject({ pushed: 0 });
  });

  it('an event created in the calendar blocks that time: findSlots no longer offers it', async () => {
    const em = () => tenantEm(stack.orm, tenant.tenantId);
    const query = { serviceId: service.id, staffId: anna.id, from: at(1, 0), to: at(2, 0) };
    expect((await findSlots(em(), tenant.tenantId, query)).map((s) => s.startsAt)).toContain(at(1, 14));
    await putRawEvent(
      radicale.users.anna,
      'dentist',
      ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Phone//EN', 'BEGIN:VEVENT', 'UID:dentist-anna', 'DTSTAMP:20270101T000000Z', `DTSTART:${at(1, 14).replace(/[-:]/g, '').replace('.000', '')}`, `DTEND:${at(1, 15, 30).replace(/[-:]/g, '').replace('.000', '')}`, 'SUMMARY:Dentist', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'),
    );
    expect((await syncNow(anna.id)).last).toMatchObject({ error: null, busy: 1 });
    const offered = (await findSlots(em(), tenant.tenantId, query)).map((s) => s.startsAt);
    expect(offered).not.toContain(at(1, 14));
    expect(offered).not.toContain(at(1, 15));
    expect(offered).toContain(at(1, 16));
    // Ben's calendar has no such event: his slots stay.
    expect((await findSlots(em(), tenant.tenantId, { ...query, staffId: ben.id })).map((s) => s.startsAt)).toContain(at(1, 14));
  });

  it('a password refused later keeps the busy times and reports no deletion: an unreadable calendar is not an empty one', async () => {
    const em = () => tenantEm(stack.orm, tenant.tenantId);
    const staff = await em().findOneOrFail(StaffMember, { id: anna.id });
    const right = staff.caldav!;
    const busyBefore = await em().count(CalendarBusyBlock, { staff: anna.id });
    expect(busyBefore).toBeGreaterThan(0);
    await em().nativeUpdate(StaffMember, { id: anna.id }, { caldav: { ...right, passwordEncrypted: secretBoxFromConfig(stack.config).encrypt('changed-elsewhere') } });
    const last = await syncNow(anna.id);
    expect(last.last).toMatchObject({ error: expect.stringContaining('refused the username or password'), deleted: [], busy: 0, pushed: 0 });
    expect(await em().count(CalendarBusyBlock, { staff: anna.id })).toBe(busyBefore);
    expect(await em().count(Appointment, { staff: anna.id, status: 'cancelled' })).toBe(0);
    await em().nativeUpdate(StaffMember, { id: anna.id }, { caldav: right });
    expect((await syncNow(anna.id)).last).toMatchObject({ error: null });
  });

  it('deleting our event in the calendar cancels the booking (by the calendar) and the event stays gone', async () => {
    const em = tenantEm(stack.orm, tenant.tenantId);
    const booked = await bookAppointment(em, tenant.tenantId, { serviceId: service.id, staffId: anna.id, startsAt: at(2, 10), customer: { name: 'Léa' }, source: 'api' });
    await syncNow(anna.id);
    const row = await tenantEm(stack.orm, tenant.tenantId).findOneOrFail(Appointment, { id: booked.id });
    expect(row.calendarEventHref).toBeTruthy();
    await deleteRaw(radicale.users.anna, row.calendarEventHref!);
    const last = await syncNow(anna.id);
    expect(last.last?.deleted.map((d) => d.appointmentId)).toEqual([booked.id]);
    await waitUntil(async () => (await tenantEm(stack.orm, tenant.tenantId).findOneOrFail(Appointment, { id: booked.id })).status === 'cancelled', 20_000, 'the booking cancelled');
    const cancelled = await tenantEm(stack.orm, tenant.tenantId).findOneOrFail(Appointment, { id: booked.id });
    expect(cancelled.cancelledBy).toBe('calendar');
    await syncNow(anna.id);
    expect((await getRaw(radicale.users.anna, row.calendarEventHref!)).status).toBe(404);
    expect((await tenantEm(stack.orm, tenant.tenantId).findOneOrFail(Appointment, { id: booked.id })).calendarEventHref).toBeNull();
  });
});

describe('with the appointment workflow', () => {
  it('a booking through the API reaches the calendar at once, and deleting its event there cancels it through its workflow', async () => {
    const res = await stack.request('POST', '/v1/appointments', { apiKey: tenant.apiKey, body: { serviceId: service.id, staffId: anna.id, startsAt: at(3, 10), customer: { name: 'Inès' } } });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const row = () => tenantEm(stack.orm, tenant.tenantId).findOneOrFail(Appointment, { id });
    await waitUntil(async () => (await row()).calendarEventHref !== null, 20_000, 'the booking pushed to the calendar');
    const href = (await row()).calendarEventHref!;
    expect((await getRaw(radicale.users.anna, href)).status).toBe(200);

    const run = stack.temporal.workflow.getHandle(appointmentWorkflowId(tenant.tenantId, id));
    expect((await run.describe()).status.name).toBe('RUNNING');
    await deleteRaw(radicale.users.anna, href);
    expect((await syncNow(anna.id)).last?.deleted.map((d) => d.appointmentId)).toEqual([id]);
    expect(await run.result()).toMatchObject({ status: 'cancelled' });
    expect(await row()).toMatchObject({ status: 'cancelled', cancelledBy: 'calendar' });
  });
});

describe('private feed', () => {
  it("serves one staff member's bookings as iCalendar to the token's holder, and nothing to a wrong or rotated token", async () => {
    const em = tenantEm(stack.orm, tenant.tenantId);
    const bens = await bookAppointment(em, tenant.tenantId, { serviceId: service.id, staffId: ben.id, startsAt: at(3, 9), customer: { name: 'Ben’s customer' }, source: 'api' });
    const otherSeed = await seed(other.tenantId, ['Zoe']);
    await bookAppointment(tenantEm(stack.orm, other.tenantId), other.tenantId, { serviceId: otherSeed.service.id, staffId: otherSeed.staff[0].id, startsAt: at(0, 9), customer: { name: 'Other tenant' }, source: 'api' });

    const { feedUrl } = (await stack.request('GET', `/v1/calendars/staff/${anna.id}`, { apiKey: tenant.apiKey })).body;
    const path = new URL(feedUrl).pathname;
    const res = await fetch(stack.url + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await res.text();
    const events = Object.values(ical.sync.parseICS(text)).filter((c) => c?.type === 'VEVENT') as VEvent[];
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => String(e.summary).startsWith('Haircut:'))).toBe(true);
    expect(text).not.toContain(appointmentEventUid(bens.id));
    expect(text).not.toContain('Other tenant');
    expect(text).toContain('Chloé Martin');

    expect((await fetch(`${stack.url}/v1/calendars/feeds/${'x'.repeat(32)}.ics`)).status).toBe(404);
    // Request logs show the path without the token.
    expect(maskFeedToken(`${path}?x=1`)).toBe('/v1/calendars/feeds/***.ics?x=1');
    const rotated = await stack.request('POST', `/v1/calendars/staff/${anna.id}/feed-token`, { apiKey: tenant.apiKey });
    expect(rotated.body.feedUrl).not.toBe(feedUrl);
    expect((await fetch(stack.url + path)).status).toBe(404);
    expect((await fetch(stack.url + new URL(rotated.body.feedUrl).pathname)).status).toBe(200);
  });
});

describe('disconnecting', () => {
  it('stops the sync and frees the busy times', async () => {
    const res = await stack.request('DELETE', `/v1/calendars/staff/${anna.id}/caldav`, { apiKey: tenant.apiKey });
    expect(res.status).toBe(204);
    await waitUntil(async () => (await stack.temporal.workflow.getHandle(calendarSyncWorkflowId(tenant.tenantId, anna.id)).describe()).status.name !== 'RUNNING', 20_000, 'the sync stopped');
    const offered = (await findSlots(tenantEm(stack.orm, tenant.tenantId), tenant.tenantId, { serviceId: service.id, staffId: anna.id, from: at(1, 0), to: at(2, 0) })).map((s) => s.startsAt);
    expect(offered).toContain(at(1, 14));
    expect((await stack.request('GET', `/v1/calendars/staff/${anna.id}`, { apiKey: tenant.apiKey })).body.caldav).toBeNull();
  });
});
