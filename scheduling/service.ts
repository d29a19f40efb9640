/**
 * The scheduling service layer: availability, booking, reschedule, cancel and status, used the
 * same way by the API, flows, the LLM tools, the public page and calendar sync. The engine
 * (core/scheduling) proposes free starts; PostgreSQL's exclusion constraint on appointment_holds
 * decides races: of two bookings of one seat, one commits and the other gets SlotTakenError with
 * the next free slots. This is the scheduling module's one file that reaches the database.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { AppointmentDto, AppointmentFilters, AppointmentSource, SeriesResultDto } from '../core/api/scheduling';
import { AppError } from '../core/errors';
import { bookingBounds, computeSlots, expandRecurrence, RecurrenceError, type Assignee, type Slot, type SlotQuery } from '../core/scheduling';
import { Appointment, Location, Resource, Service, StaffMember } from '../db/entities';
import {
  busySpans,
  claimSeat,
  DEADLOCK_DETECTED,
  EXCLUSION_VIOLATION,
  activeAssignees,
  exceptionRows,
  findAppointmentByKey,
  getAppointmentRow,
  holdSpans,
  listAppointmentRows,
  locationTimezone,
  releaseHolds,
  sqlState,
  UNIQUE_VIOLATION,
  type AssigneeHolds,
  type AssigneeHours,
} from '../db/repos';
import { appointmentDto } from './dto';

export type { Slot } from '../core/scheduling';

/** A slot somebody else just took (or that filled up): 409 `slot_taken` with what to offer instead. */
export class SlotTakenError extends AppError {
  readonly nextSlots: Slot[];
  constructor(nextSlots: Slot[]) {
    super('slot_taken', nextSlots.length ? 'that time was just taken: choose one of the next free slots' : 'that time was just taken and there is no other free slot soon', {
      field: 'startsAt',
      details: { nextSlots },
    });
    this.name = 'SlotTakenError';
    this.nextSlots = nextSlots;
  }
}

export interface SlotSearch {
  serviceId: string;
  from: string;
  to: string;
  staffId?: string;
  resourceId?: string;
  limit?: number;
}

export interface BookInput {
  serviceId: string;
  startsAt: string;
  staffId?: string;
  resourceId?: string;
  contactId?: string;
  conversationId?: string;
  channel?: string;
  customer: { name: string; email?: string; phone?: string; timezone?: string };
  notes?: string;
  source: AppointmentSource;
  idempotencyKey?: string;
}

const DAY_MS = 86_400_000;
const NEXT_SLOTS = 5;
/** How far after a taken time the alternatives are looked for. */
const NEXT_SLOTS_DAYS = 14;
const ACTIVE = new Set(['booked', 'confirmed']);

async function loadService(em: EntityManager, id: string): Promise<Service> {
  const service = await em.findOne(Service, { id });
  if (!service) throw new AppError('not_found', 'service not found', { field: 'serviceId' });
  if (!service.active) throw new AppError('conflict', 'this service is not active', { field: 'serviceId' });
  return service;
}

async function requireService(em: EntityManager, id: string): Promise<{ service: Service; location: Location }> {
  const service = await loadService(em, id);
  return { service, location: await em.findOneOrFail(Location, { id: service.location }) };
}

/** The assignees a search may use; naming one the service does not use is a 400. */
function wanted(ids: string[], only: string | undefined, field: 'staffId' | 'resourceId'): string[] {
  if (only && !ids.includes(only)) throw new AppError('bad_request', `${field} ${only} is not one of this service's ${field === 'staffId' ? 'staff members' : 'resources'}`, { field });
  return only ? [only] : ids;
}

const utcDate = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toISODate()!;

/**
 * Everything the engine needs for one search, in one round of parallel queries (the location
 * too, when the caller has not loaded it: exception dates are then read two days wider, which
 * covers any zone's offset from UTC).
 */
async function slotQuery(em: EntityManager, tenantId: string, service: Service, location: Location | null, s: { from: number; to: number; staffId?: string; resourceId?: string; ignoreAppointment?: string; limit?: number }): Promise<SlotQuery> {
  const staffIds = wanted(service.staffIds, s.staffId, 'staffId');
  const resourceIds = wanted(service.resourceIds, s.resourceId, 'resourceId');
  const ids = [...staffIds, ...resourceIds];
  // A day either side covers buffers and durations that reach over the edges of the range.
  const wideFrom = new Date(s.from - DAY_MS);
  const wideTo = new Date(s.to + DAY_MS);
  // Plain SQL rows, not entities: a search runs on every page view and message.
  const [timezone, staff, resources, exceptions, holds, busy] = await Promise.all([
    location?.timezone ?? locationTimezone(em, tenantId, service.location),
    activeAssignees(em, tenantId, 'staff_members', staffIds),
    activeAssignees(em, tenantId, 'resources', resourceIds),
    exceptionRows(em, tenantId, { locationId: service.location, assigneeIds: ids, fromDate: utcDate(s.from - 2 * DAY_MS), toDate: utcDate(s.to + 2 * DAY_MS) }),
    holdSpans(em, tenantId, ids, wideFrom, wideTo, service.id, s.ignoreAppointment),
    busySpans(em, tenantId, staffIds, wideFrom, wideTo),
  ]);
  const holdsOf = new Map(holds.map((h) => [h.assigneeId, h]));
  // The engine only asks whether a hold is of this service: any other id will do for the others.
  const toHolds = (h: AssigneeHolds | undefined) => (h ? h.starts.map((start, i) => ({ start, end: h.ends[i], serviceId: h.sameService[i] ? service.id : '' })) : []);
  const toAssignee = (a: AssigneeHours): Assignee => ({
    id: a.id,
    weeklyHours: a.weeklyHours,
    exceptions: exceptions.filter((e) => e.staffId === a.id || e.resourceId === a.id),
    holds: toHolds(holdsOf.get(a.id)),
    busy: busy.filter((b) => b.staffId === a.id),
  });
  return {
    service,
    timezone,
    locationExceptions: exceptions.filter((e) => e.locationId === service.location),
    staff: staff.map(toAssignee),
    resources: resources.map(toAssignee),
    from: s.from,
    to: s.to,
    now: Date.now(),
    limit: s.limit,
  };
}

export async function findSlots(em: EntityManager, tenantId: string, q: SlotSearch): Promise<Slot[]> {
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  if (!(to > from)) throw new AppError('bad_request', 'to must be after from', { field: 'to' });
  const service = await loadService(em, q.serviceId);
  return computeSlots(await slotQuery(em, tenantId, service, null, { from, to, staffId: q.staffId, resourceId: q.resourceId, limit: q.limit }));
}

async function nextSlots(em: EntityManager, tenantId: string, service: Service, location: Location, after: number, staffId?: string): Promise<Slot[]> {
  return computeSlots(await slotQuery(em.fork(), tenantId, service, location, { from: after, to: after + NEXT_SLOTS_DAYS * DAY_MS, staffId, limit: NEXT_SLOTS }));
}

/**
 * The staff/resource pairs free at exactly `start`, best first. An empty answer is a 409 when the
 * time is bookable but held, and a 400 when it never was (closed, notice, horizon, off the grid).
 */
async function candidatesAt(em: EntityManager, tenantId: string, service: Service, location: Location, start: number, pick: { staffId?: string; resourceId?: string; ignoreAppointment?: string }): Promise<Slot[]> {
  const q = await slotQuery(em, tenantId, service, location, { from: start, to: start + 1, ...pick });
  const free = computeSlots(q);
  if (free.length) return free;
  const unheld = (a: Assignee) => ({ ...a, holds: [], busy: [] });
  if (!computeSlots({ ...q, staff: q.staff.map(unheld), resources: q.resources.map(unheld) }).length) {
    throw new AppError('bad_request', `startsAt is not a bookable time for this service: outside opening hours, within the minimum notice, beyond the horizon or off its ${service.slotIntervalMinutes}-minute grid`, { field: 'startsAt' });
  }
  throw new SlotTakenError(await nextSlots(em, tenantId, service, location, start, pick.staffId));
}

class SeatsFull extends Error {}
const MAX_DEADLOCK_RETRIES = 5;

/**
 * Writes an appointment at one of `candidates` in a transaction that also holds its seats; a
 * seat lost to a concurrent booking (23P01) rolls it back and the next candidate (or, for a
 * group session, the next seat) is tried. Null when every try lost.
 */
async function place(em: EntityManager, tenantId: string, service: Service, candidates: Slot[], write: (tx: EntityManager, slot: Slot) => Promise<Appointment>): Promise<Appointment | null> {
  const tries = candidates.flatMap((c) => Array.from({ length: Math.min(service.capacity, 3) }, () => c));
  let deadlocks = 0;
  for (let i = 0; i < tries.length; i++) {
    const slot = tries[i];
    try {
      return await em.fork().transactional(async (tx) => {
        const appt = await write(tx, slot);
        const before = service.bufferBeforeMinutes;
        const after = service.bufferAfterMinutes;
        const start = DateTime.fromISO(slot.startsAt).minus({ minutes: before }).toJSDate();
        const end = DateTime.fromISO(slot.endsAt).plus({ minutes: after }).toJSDate();
        for (const assigneeId of [slot.staffId, slot.resourceId]) {
          if (!assigneeId) continue;
          const seat = await claimSeat(tx, { tenantId, appointmentId: appt.id, serviceId: service.id, assigneeId, start, end, capacity: service.capacity });
          if (seat === null) throw new SeatsFull();
        }
        return appt;
      });
    } catch (err) {
      // An exclusion constraint is checked after the row is inserted, so two bookings inserting the
      // same seat at once can each wait for the other: PostgreSQL aborts one as a deadlock. That one
      // lost no seat to a committed booking, so it tries the same slot again (a bounded number of times).
      if (sqlState(err) === DEADLOCK_DETECTED && deadlocks++ < MAX_DEADLOCK_RETRIES) {
        i--;
        continue;
      }
      if (!(err instanceof SeatsFull) && sqlState(err) !== EXCLUSION_VIOLATION) throw err;
    }
  }
  return null;
}

async function namesFor(em: EntityManager, rows: Appointment[]) {
  const ids = (pick: (a: Appointment) => string | null | undefined) => [...new Set(rows.map(pick).filter((x): x is string => !!x))];
  const [services, staff, resources, locations] = await Promise.all([
    em.fork().find(Service, { id: { $in: ids((a) => a.service) } }, { fields: ['id', 'name'] }),
    em.fork().find(StaffMember, { id: { $in: ids((a) => a.staff) } }, { fields: ['id', 'name'] }),
    em.fork().find(Resource, { id: { $in: ids((a) => a.resource) } }, { fields: ['id', 'name'] }),
    em.fork().find(Location, { id: { $in: ids((a) => a.location) } }, { fields: ['id', 'timezone'] }),
  ]);
  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
  return { services: byId(services), staff: byId(staff), resources: byId(resources), timezones: new Map(locations.map((l) => [l.id, l.timezone])) };
}

const toDtos = async (em: EntityManager, rows: Appointment[]) => {
  const names = await namesFor(em, rows);
  return rows.map((r) => appointmentDto(r, names));
};
const toDto = async (em: EntityManager, row: Appointment) => (await toDtos(em, [row]))[0];

async function bookOne(em: EntityManager, tenantId: string, input: BookInput, series?: { seriesId: string; recurrenceRule: string }): Promise<AppointmentDto> {
  if (input.idempotencyKey) {
    const existing = await findAppointmentByKey(em.fork(), input.idempotencyKey);
    if (existing) return toDto(em, existing);
  }
  const { service, location } = await requireService(em, input.serviceId);
  const start = Date.parse(input.startsAt);
  if (Number.isNaN(start)) throw new AppError('bad_request', 'startsAt must be an ISO 8601 date-time', { field: 'startsAt' });
  try {
    const candidates = await candidatesAt(em, tenantId, service, location, start, { staffId: input.staffId, resourceId: input.resourceId });
    const row = await place(em, tenantId, service, candidates, async (tx, slot) => {
      const appt = tx.create(Appointment, {
        tenant: tenantId,
        service: service.id,
        location: location.id,
        staff: slot.staffId,
        resource: slot.resourceId,
        contact: input.contactId ?? null,
        conversation: input.conversationId ?? null,
        channel: input.channel ?? null,
        startsAt: new Date(slot.startsAt),
        endsAt: new Date(slot.endsAt),
        status: 'booked',
        customerName: input.customer.name,
        customerEmail: input.customer.email ?? null,
        customerPhone: input.customer.phone ?? null,
        customerTimezone: input.customer.timezone ?? null,
        notes: input.notes ?? '',
        source: input.source,
        seriesId: series?.seriesId ?? null,
        recurrenceRule: series?.recurrenceRule ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
      });
      await tx.flush();
      return appt;
    });
    if (row) return toDto(em, row);
    throw new SlotTakenError(await nextSlots(em, tenantId, service, location, start, input.staffId));
  } catch (err) {
    // The same key raced in from a retry (its twin may have taken the very slot): answer the appointment that won.
    if (input.idempotencyKey && (sqlState(err) === UNIQUE_VIOLATION || err instanceof SlotTakenError)) {
      const existing = await findAppointmentByKey(em.fork(), input.idempotencyKey);
      if (existing) return toDto(em, existing);
    }
    throw err;
  }
}

/** Books one appointment; the same idempotency key answers the same appointment. */
export const bookAppointment = (em: EntityManager, tenantId: string, input: BookInput): Promise<AppointmentDto> => bookOne(em, tenantId, input);

/**
 * Books every occurrence of an RFC 5545 rule starting at `input.startsAt` (up to the service's
 * horizon); occurrences that are taken or not bookable are reported with alternatives, not booked.
 * With an idempotency key, occurrence n uses `key.n`, so a retried series books nothing twice.
 */
export async function bookAppointmentSeries(em: EntityManager, tenantId: string, input: BookInput & { recurrenceRule: string }): Promise<SeriesResultDto> {
  const { service, location } = await requireService(em, input.serviceId);
  let starts: string[];
  try {
    starts = expandRecurrence(input.recurrenceRule, input.startsAt, location.timezone, bookingBounds(service, location.timezone, Date.now()).latest);
  } catch (err) {
    if (err instanceof RecurrenceError) throw new AppError('bad_request', err.message, { field: 'recurrenceRule' });
    throw err;
  }
  if (starts.length === 0) throw new AppError('bad_request', 'recurrenceRule gives no occurrence within the booking horizon', { field: 'recurrenceRule' });
  const seriesId = input.idempotencyKey ? ((await findAppointmentByKey(em.fork(), `${input.idempotencyKey}.1`))?.seriesId ?? randomUUID()) : randomUUID();
  const result: SeriesResultDto = { seriesId, booked: [], taken: [] };
  for (const [n, startsAt] of starts.entries()) {
    try {
      const key = input.idempotencyKey ? `${input.idempotencyKey}.${n + 1}` : undefined;
      result.booked.push(await bookOne(em, tenantId, { ...input, startsAt, idempotencyKey: key }, { seriesId, recurrenceRule: input.recurrenceRule }));
    } catch (err) {
      if (err instanceof SlotTakenError) result.taken.push({ startsAt, nextSlots: err.nextSlots });
      else if (err instanceof AppError && err.field === 'startsAt') result.taken.push({ startsAt, nextSlots: [] });
      else throw err;
    }
  }
  return result;
}

async function requireAppointment(em: EntityManager, id: string): Promise<Appointment> {
  const row = await getAppointmentRow(em, id);
  if (!row) throw new AppError('not_found', 'appointment not found', { field: 'id' });
  return row;
}

/** Moves a booked appointment (optionally to another staff member); its old time is freed only if the new one is held. */
export async function rescheduleAppointment(em: EntityManager, tenantId: string, id: string, to: { startsAt: string; staffId?: string }): Promise<AppointmentDto> {
  const current = await requireAppointment(em.fork(), id);
  if (!ACTIVE.has(current.status)) throw new AppError('conflict', `a ${current.status} appointment cannot be rescheduled`, { field: 'id' });
  const { service, location } = await requireService(em, current.service);
  const start = Date.parse(to.startsAt);
  const staffId = to.staffId ?? current.staff ?? undefined;
  const candidates = await candidatesAt(em, tenantId, service, location, start, { staffId, ignoreAppointment: id });
  const row = await place(em, tenantId, service, candidates, async (tx, slot) => {
    const appt = await requireAppointment(tx, id);
    if (!ACTIVE.has(appt.status)) throw new AppError('conflict', `a ${appt.status} appointment cannot be rescheduled`, { field: 'id' });
    await releaseHolds(tx, tenantId, id, 'delete');
    tx.assign(appt, { startsAt: new Date(slot.startsAt), endsAt: new Date(slot.endsAt), staff: slot.staffId, resource: slot.resourceId });
    await tx.flush();
    return appt;
  });
  if (row) return toDto(em, row);
  throw new SlotTakenError(await nextSlots(em, tenantId, service, location, start, staffId));
}

/** Cancels and frees the time; cancelling a cancelled appointment answers it unchanged. */
export async function cancelAppointment(em: EntityManager, tenantId: string, id: string, c: { reason: string; by: 'customer' | 'staff' | 'calendar' | 'system' }): Promise<AppointmentDto> {
  const row = await em.fork().transactional(async (tx) => {
    const appt = await requireAppointment(tx, id);
    if (appt.status === 'cancelled') return appt;
    if (!ACTIVE.has(appt.status)) throw new AppError('conflict', `a ${appt.status} appointment cannot be cancelled`, { field: 'id' });
    await releaseHolds(tx, tenantId, id, 'deactivate');
    tx.assign(appt, { status: 'cancelled', cancelledAt: new Date(), cancelReason: c.reason, cancelledBy: c.by });
    await tx.flush();
    return appt;
  });
  return toDto(em, row);
}

const TRANSITIONS: Record<'confirmed' | 'completed' | 'no_show', readonly string[]> = {
  confirmed: ['booked', 'confirmed'],
  completed: ['booked', 'confirmed', 'completed'],
  no_show: ['booked', 'confirmed', 'no_show'],
};

export async function setAppointmentStatus(em: EntityManager, tenantId: string, id: string, status: 'confirmed' | 'completed' | 'no_show'): Promise<AppointmentDto> {
  const fork = em.fork();
  const appt = await requireAppointment(fork, id);
  if (!TRANSITIONS[status].includes(appt.status)) throw new AppError('conflict', `a ${appt.status} appointment cannot become ${status}`, { field: 'status' });
  appt.status = status;
  await fork.flush();
  return toDto(em, appt);
}

export async function getAppointment(em: EntityManager, tenantId: string, id: string): Promise<AppointmentDto> {
  return toDto(em, await requireAppointment(em.fork(), id));
}

export async function listAppointments(em: EntityManager, tenantId: string, filters: Partial<AppointmentFilters>): Promise<{ items: AppointmentDto[]; nextCursor: string | null }> {
  const page = await listAppointmentRows(em.fork(), filters);
  return { items: await toDtos(em, page.items), nextCursor: page.nextCursor };
}
