/**
 * Appointments and their holds. Holds are written with SQL: `during` is a tstzrange and the
 * exclusion constraint on it (assignee, seat, overlapping time) is what refuses a double booking,
 * so a refused insert surfaces as SQLSTATE 23P01 for the service layer to turn into "slot taken".
 * Raw statements name `tenant_id` themselves; ORM queries go through the `tenant` filter.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppointmentFilters } from '../../core/api/scheduling';
import type { DateException, WeeklyHours } from '../../core/scheduling/types';
import { Appointment } from '../entities';
import { keysetAfter, pageLimit, toPage, type Page } from './cursor';

/** SQLSTATE of an exclusion-constraint violation; MikroORM's exception keeps the driver's `code`. */
export const EXCLUSION_VIOLATION = '23P01';
export const UNIQUE_VIOLATION = '23505';
/** SQLSTATE of a deadlock PostgreSQL broke by aborting one of the transactions. */
export const DEADLOCK_DETECTED = '40P01';
export const sqlState = (err: unknown): string | undefined => {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code ?? e?.cause?.code;
};

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

export const findAppointmentByKey = (em: EntityManager, idempotencyKey: string) => em.findOne(Appointment, { idempotencyKey });
export const getAppointmentRow = (em: EntityManager, id: string) => em.findOne(Appointment, { id });
export const seriesRows = (em: EntityManager, seriesId: string) => em.find(Appointment, { seriesId }, { orderBy: { startsAt: 'asc' } });

/**
 * Takes the lowest free seat (1..capacity) of an assignee for `[start, end)`. Null when every
 * seat is held; throws the 23P01 violation when a concurrent booking took the seat in between.
 */
export async function claimSeat(em: EntityManager, h: { tenantId: string; appointmentId: string; serviceId: string; assigneeId: string; start: Date; end: Date; capacity: number }): Promise<number | null> {
  const rows = await em.execute<{ seat: number }[]>(
    `insert into appointment_holds (appointment_id, tenant_id, service_id, assignee_id, seat, during, active)
     select ?, ?, ?, ?, s, tstzrange(?, ?, '[)'), true
     from generate_series(1, ?::int) s
     where not exists (select 1 from appointment_holds h where h.assignee_id = ? and h.seat = s and h.active and h.during && tstzrange(?, ?, '[)'))
     order by s limit 1
     returning seat`,
    [h.appointmentId, h.tenantId, h.serviceId, h.assigneeId, h.start, h.end, h.capacity, h.assigneeId, h.start, h.end],
  );
  return rows[0]?.seat ?? null;
}

/** Frees an appointment's time: cancelled holds stay as a record (inactive); a reschedule deletes them. */
export async function releaseHolds(em: EntityManager, tenantId: string, appointmentId: string, how: 'deactivate' | 'delete'): Promise<void> {
  if (how === 'delete') await em.execute(`delete from appointment_holds where tenant_id = ? and appointment_id = ?`, [tenantId, appointmentId]);
  else await em.execute(`update appointment_holds set active = false where tenant_id = ? and appointment_id = ?`, [tenantId, appointmentId]);
}

/** One assignee's active holds: epoch-millisecond bounds and whether each books `serviceId` (arrays of one order). */
export interface AssigneeHolds {
  assigneeId: string;
  starts: number[];
  ends: number[];
  sameService: boolean[];
}

/**
 * Active holds of these assignees overlapping [from, to), one row per assignee (a month of a
 * busy team is ten thousand holds: fifty rows of comma-separated numbers parse far faster than
 * ten thousand rows or PostgreSQL arrays). `exceptAppointment` leaves out one being rescheduled.
 */
export async function holdSpans(em: EntityManager, tenantId: string, assigneeIds: string[], from: Date, to: Date, serviceId: string, exceptAppointment?: string): Promise<AssigneeHolds[]> {
  if (assigneeIds.length === 0) return [];
  const rows = await em.execute<{ assigneeId: string; starts: string; ends: string; same: string }[]>(
    // The three aggregates read the rows in the same order, so their lists line up; the engine sorts.
    `select assignee_id as "assigneeId",
            string_agg((date_part('epoch', lower(during)) * 1000)::bigint::text, ',') as "starts",
            string_agg((date_part('epoch', upper(during)) * 1000)::bigint::text, ',') as "ends",
            string_agg(case when service_id = ? then '1' else '0' end, '') as "same"
     from appointment_holds
     where tenant_id = ? and active and assignee_id = any(?::uuid[]) and upper(during) > ? and lower(during) < ? and appointment_id <> ?
     group by assignee_id`,
    [serviceId, tenantId, `{${assigneeIds.join(',')}}`, from, to, exceptAppointment ?? '00000000-0000-0000-0000-000000000000'],
  );
  return rows.map((r) => ({ assigneeId: r.assigneeId, starts: r.starts.split(',').map(Number), ends: r.ends.split(',').map(Number), sameService: [...r.same].map((c) => c === '1') }));
}

/** What availability needs of a staff member or resource. */
export interface AssigneeHours {
  id: string;
  weeklyHours: WeeklyHours;
}

/** Active staff members or resources among `ids`, by id (plain rows: a search reads them every time). */
export async function activeAssignees(em: EntityManager, tenantId: string, table: 'staff_members' | 'resources', ids: string[]): Promise<AssigneeHours[]> {
  if (ids.length === 0) return [];
  return em.execute<AssigneeHours[]>(`select id, weekly_hours as "weeklyHours" from ${table} where tenant_id = ? and active and id = any(?::uuid[]) order by id`, [tenantId, `{${ids.join(',')}}`]);
}

export interface ExceptionRow extends DateException {
  locationId: string | null;
  staffId: string | null;
  resourceId: string | null;
}

/** Exceptions touching one search: the location's and those of the given assignees, dates inclusive. */
export function exceptionRows(em: EntityManager, tenantId: string, q: { locationId: string; assigneeIds: string[]; fromDate: string; toDate: string }): Promise<ExceptionRow[]> {
  return em.execute<ExceptionRow[]>(
    `select location_id as "locationId", staff_id as "staffId", resource_id as "resourceId", date, closed, hours from availability_exceptions
     where tenant_id = ? and date between ? and ? and (location_id = ? or staff_id = any(?::uuid[]) or resource_id = any(?::uuid[]))`,
    [tenantId, q.fromDate, q.toDate, q.locationId, `{${q.assigneeIds.join(',')}}`, `{${q.assigneeIds.join(',')}}`],
  );
}

export async function locationTimezone(em: EntityManager, tenantId: string, locationId: string): Promise<string> {
  const [row] = await em.execute<{ timezone: string }[]>(`select timezone from locations where tenant_id = ? and id = ?`, [tenantId, locationId]);
  if (!row) throw new Error(`location ${locationId} of tenant ${tenantId} not found`);
  return row.timezone;
}

/** Calendar busy blocks of these staff members overlapping [from, to). */
export async function busySpans(em: EntityManager, tenantId: string, staffIds: string[], from: Date, to: Date): Promise<{ staffId: string; start: number; end: number }[]> {
  if (staffIds.length === 0) return [];
  const rows = await em.execute<{ staffId: string; start: number; end: number }[]>(
    `select staff_id as "staffId", (extract(epoch from starts_at) * 1000)::float8 as "start", (extract(epoch from ends_at) * 1000)::float8 as "end"
     from calendar_busy_blocks where tenant_id = ? and staff_id = any(?::uuid[]) and starts_at < ? and ends_at > ?`,
    [tenantId, uuidArray(staffIds), to, from],
  );
  return rows.map((r) => ({ ...r, start: Number(r.start), end: Number(r.end) }));
}

/** Appointments by start time (keyset on `(startsAt, id)`), filtered. */
export async function listAppointmentRows(em: EntityManager, f: Partial<AppointmentFilters>): Promise<Page<Appointment>> {
  const limit = pageLimit(f.limit);
  const where: Record<string, unknown> = { ...keysetAfter(f.cursor, 'startsAt', 'asc') };
  const and: Record<string, unknown>[] = [];
  if (f.from) and.push({ endsAt: { $gt: new Date(f.from) } });
  if (f.to) and.push({ startsAt: { $lt: new Date(f.to) } });
  if (f.status) where.status = f.status;
  if (f.staffId) where.staff = f.staffId;
  if (f.serviceId) where.service = f.serviceId;
  if (f.contactId) where.contact = f.contactId;
  const rows = await em.find(Appointment, and.length ? { $and: [where, ...and] } : where, { orderBy: { startsAt: 'asc', id: 'asc' }, limit: limit + 1 });
  return toPage(rows, limit, (a) => a.startsAt);
}
