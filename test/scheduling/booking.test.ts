/** Booking on real PostgreSQL: the exclusion constraint under concurrency, seats, reschedule and cancel. */
import { DateTime } from 'luxon';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm, tenantEm, type Orm } from '../../db/orm';
import { CalendarBusyBlock } from '../../db/entities';
import { formatSlot } from '../../core/scheduling';
import { bookAppointment, bookAppointmentSeries, cancelAppointment, findSlots, getAppointment, listAppointments, rescheduleAppointment, setAppointmentStatus, SlotTakenError } from '../../scheduling/service';
import { customer, makeSchedulingTenant, nextMondayAt } from './fixtures';

let orm: Orm;
beforeAll(async () => {
  orm = await createOrm(inject('databaseUrl'), { poolSize: 12 });
});
afterAll(() => orm.close(true));

const settle = <T>(list: Promise<T>[]) => Promise.allSettled(list);

describe('booking one slot from many places at once', () => {
  it('50 parallel attempts at one slot: exactly one booked, 49 told it was taken with the next free slots', async () => {
    const t = await makeSchedulingTenant(orm);
    const startsAt = nextMondayAt('10:00');
    const results = await settle(Array.from({ length: 50 }, (_, n) => bookAppointment(tenantEm(orm, t.tenantId), t.tenantId, { serviceId: t.service.id, startsAt, customer: customer(n), source: 'api' })));
    const booked = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(booked).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const err of refused) {
      expect(err).toBeInstanceOf(SlotTakenError);
      expect(err.status).toBe(409);
      expect(err.code).toBe('slot_taken');
      expect(err.nextSlots).toHaveLength(5);
      expect(err.nextSlots.map((s: { startsAt: string }) => s.startsAt)).not.toContain(DateTime.fromISO(startsAt).toUTC().toISO());
    }
    expect(refused[0].nextSlots[0].startsAt).toBe(DateTime.fromISO(startsAt).plus({ minutes: 30 }).toUTC().toISO());
    const [{ count }] = await t.em.execute<{ count: string }[]>(`select count(*) from appointment_holds where tenant_id = ? and active`, [t.tenantId]);
    expect(Number(count)).toBe(1);
  });

  it('a group session with 3 seats: 3 of 8 parallel attempts booked, on seats 1, 2 and 3', async () => {
    const t = await makeSchedulingTenant(orm, { capacity: 3 });
    const startsAt = nextMondayAt('11:00');
    const results = await settle(Array.from({ length: 8 }, (_, n) => bookAppointment(tenantEm(orm, t.tenantId), t.tenantId, { serviceId: t.service.id, startsAt, customer: customer(n), source: 'page' })));
    const outcomes = JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? 'booked' : String(r.reason))));
    expect(results.filter((r) => r.status === 'fulfilled'), outcomes).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof SlotTakenError), outcomes).toHaveLength(5);
    const seats = await t.em.execute<{ seat: number }[]>(`select seat from appointment_holds where tenant_id = ? order by seat`, [t.tenantId]);
    expect(seats.map((s) => s.seat)).toEqual([1, 2, 3]);
    const slot = (await findSlots(tenantEm(orm, t.tenantId), t.tenantId, { serviceId: t.service.id, from: nextMondayAt('10:30'), to: nextMondayAt('12:00') })).map((s) => [s.startsAt, s.seatsLeft]);
    expect(slot).toEqual([[DateTime.fromISO(nextMondayAt('10:30')).toUTC().toISO(), 3], [DateTime.fromISO(nextMondayAt('11:30')).toUTC().toISO(), 3]]);
  });
});

describe('reschedule, cancel, status, idempotency', () => {
  it('refuses a reschedule into a taken slot and keeps the old time; cancel frees the slot', async () => {
    const t = await makeSchedulingTenant(orm);
    const em = () => tenantEm(orm, t.tenantId);
    const a = await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('09:00'), customer: customer(1), source: 'api' });
    const b = await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('09:30'), customer: customer(2), source: 'api' });
    const refused = await rescheduleAppointment(em(), t.tenantId, a.id, { startsAt: nextMondayAt('09:30') }).catch((e) => e);
    expect(refused).toBeInstanceOf(SlotTakenError);
    expect((await getAppointment(em(), t.tenantId, a.id)).startsAt).toBe(a.startsAt);

    // Into an overlapping time of its own (no other booking): its own hold does not block it.
    const moved = await rescheduleAppointment(em(), t.tenantId, a.id, { startsAt: nextMondayAt('10:00') });
    expect(moved.startsAt).toBe(DateTime.fromISO(nextMondayAt('10:00')).toUTC().toISO());
    await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('09:00'), customer: customer(3), source: 'api' });

    const cancelled = await cancelAppointment(em(), t.tenantId, b.id, { reason: 'ill', by: 'customer' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'ill', cancelledBy: 'customer' });
    const again = await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('09:30'), customer: customer(4), source: 'api' });
    expect(again.status).toBe('booked');
    expect(await rescheduleAppointment(em(), t.tenantId, b.id, { startsAt: nextMondayAt('13:00') }).catch((e) => e.code)).toBe('conflict');

    expect((await setAppointmentStatus(em(), t.tenantId, again.id, 'confirmed')).status).toBe('confirmed');
    expect((await setAppointmentStatus(em(), t.tenantId, again.id, 'completed')).status).toBe('completed');
    expect(await setAppointmentStatus(em(), t.tenantId, b.id, 'confirmed').catch((e) => e.code)).toBe('conflict');
  });

  it('books from another timezone than the business’s: the instant is what counts, each side reads it in its own zone', async () => {
    const t = await makeSchedulingTenant(orm);
    // The customer in New York picks 03:00 their time on the Monday: 09:00 at the Berlin location.
    const berlin = DateTime.fromISO(nextMondayAt('09:00')).setZone('Europe/Berlin');
    const fromNewYork = berlin.setZone('America/New_York').toISO()!;
    expect(fromNewYork).toMatch(/T03:00:00\.000-05:00$/);
    const booked = await bookAppointment(tenantEm(orm, t.tenantId), t.tenantId, { serviceId: t.service.id, startsAt: fromNewYork, customer: { ...customer(1), timezone: 'America/New_York' }, source: 'page' });
    expect(booked).toMatchObject({ startsAt: berlin.toUTC().toISO(), timezone: 'Europe/Berlin', customerTimezone: 'America/New_York' });
    expect(formatSlot(booked, { timezone: booked.customerTimezone!, locale: 'en-US' })).toMatch(/, 3:00 AM EST$/);
    expect(formatSlot(booked, { timezone: booked.timezone, locale: 'de-DE' })).toMatch(/, 9:00 MEZ$/);
    // 03:30 New York is 09:30 Berlin: on the grid; 03:10 is not.
    const offGrid = berlin.plus({ minutes: 10 }).setZone('America/New_York').toISO()!;
    expect(await bookAppointment(tenantEm(orm, t.tenantId), t.tenantId, { serviceId: t.service.id, startsAt: offGrid, customer: customer(2), source: 'page' }).catch((e) => e.field)).toBe('startsAt');
  });

  it('the same idempotency key books once, even raced', async () => {
    const t = await makeSchedulingTenant(orm);
    const input = { serviceId: t.service.id, startsAt: nextMondayAt('14:00'), customer: customer(1), source: 'api' as const, idempotencyKey: 'order-17' };
    const [x, y, z] = await Promise.all([1, 2, 3].map(() => bookAppointment(tenantEm(orm, t.tenantId), t.tenantId, input)));
    expect(new Set([x.id, y.id, z.id]).size).toBe(1);
    expect((await listAppointments(tenantEm(orm, t.tenantId), t.tenantId, {})).items).toHaveLength(1);
  });

  it('answers 400 naming the field for a closed time, 404 for an unknown service, and lists with filters and cursor', async () => {
    const t = await makeSchedulingTenant(orm, { staff: 2 });
    const em = () => tenantEm(orm, t.tenantId);
    expect(await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('20:00'), customer: customer(1), source: 'api' }).catch((e) => [e.code, e.field])).toEqual(['bad_request', 'startsAt']);
    expect(await bookAppointment(em(), t.tenantId, { serviceId: t.staff[0].id, startsAt: nextMondayAt('10:00'), customer: customer(1), source: 'api' }).catch((e) => [e.code, e.field])).toEqual(['not_found', 'serviceId']);
    // Without a staff member named, a second booking at the same time goes to the other one.
    const one = await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('10:00'), customer: customer(1), source: 'api' });
    const two = await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('10:00'), customer: customer(2), source: 'api' });
    expect(new Set([one.staffId, two.staffId])).toEqual(new Set(t.staff.map((s) => s.id)));
    expect(one).toMatchObject({ serviceName: 'Consultation', timezone: 'Europe/Berlin' });
    await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('11:00'), staffId: t.staff[0].id, customer: customer(3), source: 'api' });
    const page1 = await listAppointments(em(), t.tenantId, { staffId: t.staff[0].id, limit: 1 });
    expect(page1.items).toHaveLength(1);
    const page2 = await listAppointments(em(), t.tenantId, { staffId: t.staff[0].id, limit: 1, cursor: page1.nextCursor! });
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect(page2.items[0].startsAt > page1.items[0].startsAt).toBe(true);
  });
});

describe('recurring appointments', () => {
  it('books each weekly occurrence, reports the taken one with alternatives, and a retried series books nothing twice', async () => {
    const t = await makeSchedulingTenant(orm);
    const em = () => tenantEm(orm, t.tenantId);
    const first = nextMondayAt('15:00');
    const third = DateTime.fromISO(first).plus({ weeks: 2 }).toUTC().toISO()!;
    await bookAppointment(em(), t.tenantId, { serviceId: t.service.id, startsAt: third, customer: customer(9), source: 'api' });
    const input = { serviceId: t.service.id, startsAt: first, customer: customer(1), source: 'api' as const, recurrenceRule: 'FREQ=WEEKLY;COUNT=4', idempotencyKey: 'weekly-1' };
    const series = await bookAppointmentSeries(em(), t.tenantId, input);
    expect(series.booked.map((a) => DateTime.fromISO(a.startsAt, { zone: 'Europe/Berlin' }).toFormat('ccc HH:mm'))).toEqual(['Mon 15:00', 'Mon 15:00', 'Mon 15:00']);
    expect(series.taken.map((x) => x.startsAt)).toEqual([DateTime.fromISO(third).toUTC().toISO({ suppressMilliseconds: true })]);
    expect(series.taken[0].nextSlots[0].startsAt).toBe(DateTime.fromISO(third).plus({ minutes: 30 }).toUTC().toISO());
    expect(new Set(series.booked.map((a) => a.seriesId))).toEqual(new Set([series.seriesId]));
    expect(series.booked[0].recurrenceRule).toBe('FREQ=WEEKLY;COUNT=4');

    const again = await bookAppointmentSeries(em(), t.tenantId, input);
    expect(again.seriesId).toBe(series.seriesId);
    expect(again.booked.map((a) => a.id)).toEqual(series.booked.map((a) => a.id));
    expect(await bookAppointmentSeries(em(), t.tenantId, { ...input, idempotencyKey: undefined, recurrenceRule: 'FREQ=SOMETIMES' }).catch((e) => e.field)).toBe('recurrenceRule');
  });
});

describe('calendar busy blocks', () => {
  it('take their time out of availability, and give it back when removed', async () => {
    const t = await makeSchedulingTenant(orm);
    const em = tenantEm(orm, t.tenantId);
    const slotsAt = async () => (await findSlots(tenantEm(orm, t.tenantId), t.tenantId, { serviceId: t.service.id, from: nextMondayAt('09:00'), to: nextMondayAt('11:00') })).map((s) => DateTime.fromISO(s.startsAt, { zone: 'Europe/Berlin' }).toFormat('HH:mm'));
    const block = em.create(CalendarBusyBlock, { tenant: t.tenantId, staff: t.staff[0].id, uid: 'dentist@example.com', startsAt: new Date(nextMondayAt('09:10')), endsAt: new Date(nextMondayAt('09:40')), summary: 'Dentist' });
    await em.flush();
    expect(await slotsAt()).toEqual(['10:00', '10:30']);
    em.remove(block);
    await em.flush();
    expect(await slotsAt()).toEqual(['09:00', '09:30', '10:00', '10:30']);
  });
});
