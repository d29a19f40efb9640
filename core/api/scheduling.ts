/**
 * Every scheduling payload: catalog (locations, services, staff, resources, availability
 * exceptions), availability queries and slots, appointments and their actions. The API validates
 * with these, OpenAPI is generated from them, the console and the workflows import the types.
 */
import { z } from 'zod';
import { isLocalDate, isLocalTime, isValidTimezone, minuteOfDay } from '../scheduling/time';
import { WEEKDAYS } from '../scheduling/types';
import { idempotencyKey, text } from './common';

export const APPOINTMENT_STATUSES = ['booked', 'confirmed', 'cancelled', 'completed', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const APPOINTMENT_SOURCES = ['api', 'page', 'flow', 'llm', 'console', 'calendar'] as const;
export type AppointmentSource = (typeof APPOINTMENT_SOURCES)[number];
export const CANCELLED_BY = ['customer', 'staff', 'calendar', 'system'] as const;
export const RESOURCE_KINDS = ['room', 'table', 'chair', 'other'] as const;

export const timezoneSchema = text().refine(isValidTimezone, { message: 'timezone must be an IANA timezone such as Europe/Berlin or America/New_York' });
const instant = (field: string) => z.iso.datetime({ offset: true, message: `${field} must be an ISO 8601 date-time with a timezone offset (2027-01-08T15:00:00+01:00 or …Z)` });
const localTime = text().refine(isLocalTime, { message: 'times must be HH:MM (00:00–24:00)' });
const localDate = (field: string) => text().refine(isLocalDate, { message: `${field} must be a date YYYY-MM-DD` });
const name = text().trim().min(1, 'name must not be empty').max(200);
const id = (field: string) => z.uuid({ message: `${field} must be a UUID` });

export const intervalSchema = z
  .object({ start: localTime, end: localTime })
  .refine((i) => minuteOfDay(i.start) < minuteOfDay(i.end), { message: 'end must be after start (an interval cannot cross midnight: split it)', path: ['end'] });

/** A day's intervals, sorted and not overlapping (a break is the gap between two). */
export const dayHours = z
  .array(intervalSchema)
  .max(12)
  .refine((list) => list.every((i, n) => n === 0 || minuteOfDay(i.start) >= minuteOfDay(list[n - 1].end)), { message: 'intervals of a day must be in order and must not overlap' });

export const weeklyHoursSchema = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours.optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<typeof dayHours>>).strict();

// ---- catalog ----

/**
 * A PATCH body for a create body: every field optional and without its default (a default
 * would overwrite what the caller did not send), at least one field present.
 */
function patchOf<S extends z.ZodRawShape>(shape: S) {
  const fields = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : (v as z.ZodType)).optional()]));
  return z
    .object(fields as { [K in keyof S]: z.ZodOptional<z.ZodType<z.output<S[K]>>> })
    .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to update: send at least one field', path: [Object.keys(shape)[0]] });
}


export const locationBody = z.object({ name, timezone: timezoneSchema, address: text().max(500).default('') });
export const locationPatch = patchOf(locationBody.shape);
export const locationSchema = z.object({ id: z.string(), name: z.string(), timezone: z.string(), address: z.string(), createdAt: z.string() });
export type LocationDto = z.infer<typeof locationSchema>;

const serviceFields = {
  locationId: id('locationId'),
  name,
  description: text().max(2000).default(''),
  durationMinutes: z.number().int().min(5, 'durationMinutes must be at least 5').max(24 * 60),
  bufferBeforeMinutes: z.number().int().min(0).max(240).default(0),
  bufferAfterMinutes: z.number().int().min(0).max(240).default(0),
  priceCents: z.number().int().min(0).nullable().default(null),
  currency: text().regex(/^[A-Z]{3}$/, 'currency must be a three-letter ISO 4217 code').default('EUR'),
  capacity: z.number().int().min(1).max(500).default(1),
  slotIntervalMinutes: z.number().int().min(5, 'slotIntervalMinutes must be at least 5').max(24 * 60).default(30),
  minNoticeMinutes: z.number().int().min(0).max(60 * 24 * 60).default(0),
  maxHorizonDays: z.number().int().min(1).max(730).default(90),
  staffIds: z.array(id('staffIds')).max(200).default([]),
  resourceIds: z.array(id('resourceIds')).max(200).default([]),
  active: z.boolean().default(true),
};
export const serviceBody = z.object(serviceFields);
export const servicePatch = patchOf(serviceFields);
export const serviceSchema = z.object({
  id: z.string(),
  locationId: z.string(),
  name: z.string(),
  description: z.string(),
  durationMinutes: z.number(),
  bufferBeforeMinutes: z.number(),
  bufferAfterMinutes: z.number(),
  priceCents: z.number().nullable(),
  currency: z.string(),
  capacity: z.number(),
  slotIntervalMinutes: z.number(),
  minNoticeMinutes: z.number(),
  maxHorizonDays: z.number(),
  staffIds: z.array(z.string()),
  resourceIds: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});
export type ServiceDto = z.infer<typeof serviceSchema>;

export const staffBody = z.object({
  locationId: id('locationId'),
  name,
  email: z.email({ message: 'email must be an email address' }).nullable().default(null),
  userId: id('userId').nullable().default(null),
  weeklyHours: weeklyHoursSchema.default({}),
  active: z.boolean().default(true),
});
export const staffPatch = patchOf(staffBody.shape);
export const staffSchema = z.object({
  id: z.string(),
  locationId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  userId: z.string().nullable(),
  weeklyHours: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  active: z.boolean(),
  /** Whether a CalDAV calendar is connected (its settings are managed by the calendar routes). */
  calendarConnected: z.boolean(),
  createdAt: z.string(),
});
export type StaffDto = z.infer<typeof staffSchema>;

export const resourceBody = z.object({
  locationId: id('locationId'),
  name,
  kind: z.enum(RESOURCE_KINDS, { message: `kind must be one of ${RESOURCE_KINDS.join(', ')}` }).default('other'),
  weeklyHours: weeklyHoursSchema.default({}),
  active: z.boolean().default(true),
});
export const resourcePatch = patchOf(resourceBody.shape);
export const resourceSchema = z.object({
  id: z.string(),
  locationId: z.string(),
  name: z.string(),
  kind: z.enum(RESOURCE_KINDS),
  weeklyHours: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  active: z.boolean(),
  createdAt: z.string(),
});
export type ResourceDto = z.infer<typeof resourceSchema>;

/** Exactly one of locationId (a holiday or special hours for everyone), staffId, resourceId. */
export const exceptionBody = z
  .object({
    locationId: id('locationId').optional(),
    staffId: id('staffId').optional(),
    resourceId: id('resourceId').optional(),
    date: localDate('date'),
    closed: z.boolean().default(true),
    hours: dayHours.default([]),
    reason: text().max(500).default(''),
  })
  .refine((b) => [b.locationId, b.staffId, b.resourceId].filter(Boolean).length === 1, { message: 'send exactly one of locationId, staffId, resourceId', path: ['locationId'] })
  .refine((b) => b.closed || b.hours.length > 0, { message: 'an open exception needs hours (or closed: true)', path: ['hours'] });
export const exceptionSchema = z.object({
  id: z.string(),
  locationId: z.string().nullable(),
  staffId: z.string().nullable(),
  resourceId: z.string().nullable(),
  date: z.string(),
  closed: z.boolean(),
  hours: z.array(z.object({ start: z.string(), end: z.string() })),
  reason: z.string(),
});
export type AvailabilityExceptionDto = z.infer<typeof exceptionSchema>;
export const exceptionQuery = z.object({
  from: localDate('from').optional(),
  to: localDate('to').optional(),
  locationId: id('locationId').optional(),
  staffId: id('staffId').optional(),
  resourceId: id('resourceId').optional(),
});

// ---- availability ----

/** The longest range one availability query may cover. */
export const MAX_AVAILABILITY_DAYS = 62;

export const availabilityQuery = z
  .object({
    serviceId: id('serviceId'),
    from: instant('from'),
    to: instant('to'),
    staffId: id('staffId').optional(),
    resourceId: id('resourceId').optional(),
    /** The zone to show the slots in (the contact's); defaults to the location's. */
    timezone: timezoneSchema.optional(),
    locale: text().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale must be a BCP 47 tag such as en-US').optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'to must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_AVAILABILITY_DAYS * 86_400_000, { message: `from–to may span at most ${MAX_AVAILABILITY_DAYS} days`, path: ['to'] });

export const slotSchema = z.object({
  startsAt: z.string(),
  endsAt: z.string(),
  staffId: z.string().nullable(),
  resourceId: z.string().nullable(),
  seatsLeft: z.number(),
});
export type SlotDto = z.infer<typeof slotSchema>;
/** A slot as shown to someone: the local start in the display zone and a readable label. */
export const displaySlotSchema = slotSchema.extend({ localStartsAt: z.string(), label: z.string() });
export const availabilityResponse = z.object({ serviceId: z.string(), locationTimezone: z.string(), timezone: z.string(), slots: z.array(displaySlotSchema) });

// ---- appointments ----

export const customerSchema = z.object({
  name,
  email: z.email({ message: 'customer.email must be an email address' }).optional(),
  phone: text().regex(/^\+?[0-9 ().-]{5,32}$/, 'customer.phone must be a phone number').optional(),
  timezone: timezoneSchema.optional(),
});

/** A booking request (the API's POST body; `source` is set by whoever books). */
export const bookBody = z.object({
  serviceId: id('serviceId'),
  startsAt: instant('startsAt'),
  staffId: id('staffId').optional(),
  resourceId: id('resourceId').optional(),
  contactId: id('contactId').optional(),
  conversationId: id('conversationId').optional(),
  channel: text().max(32).optional(),
  customer: customerSchema,
  notes: text().max(2000).optional(),
  idempotencyKey: idempotencyKey().optional(),
  /** RFC 5545 RRULE (`FREQ=WEEKLY;COUNT=6`): books each occurrence of the series. */
  recurrenceRule: text().max(500).optional(),
});
export type BookBody = z.infer<typeof bookBody>;

export const rescheduleBody = z.object({ startsAt: instant('startsAt'), staffId: id('staffId').optional() });
export const cancelBody = z.object({ reason: text().max(500).default(''), by: z.enum(CANCELLED_BY).default('staff') });

export const appointmentSchema = z.object({
  id: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  locationId: z.string(),
  timezone: z.string(),
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  resourceId: z.string().nullable(),
  resourceName: z.string().nullable(),
  contactId: z.string().nullable(),
  conversationId: z.string().nullable(),
  channel: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
  customerName: z.string(),
  customerEmail: z.string().nullable(),
  customerPhone: z.string().nullable(),
  customerTimezone: z.string().nullable(),
  notes: z.string(),
  source: z.enum(APPOINTMENT_SOURCES),
  seriesId: z.string().nullable(),
  recurrenceRule: z.string().nullable(),
  calendarEventUid: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  cancelledBy: z.enum(CANCELLED_BY).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AppointmentDto = z.infer<typeof appointmentSchema>;

export const listAppointmentsQuery = z
  .object({
    from: instant('from').optional(),
    to: instant('to').optional(),
    status: z.enum(APPOINTMENT_STATUSES, { message: `status must be one of ${APPOINTMENT_STATUSES.join(', ')}` }).optional(),
    staffId: id('staffId').optional(),
    serviceId: id('serviceId').optional(),
    contactId: id('contactId').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: text().max(200).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), { message: 'to must be after from', path: ['to'] });
export type AppointmentFilters = z.infer<typeof listAppointmentsQuery>;
export const appointmentList = z.object({ items: z.array(appointmentSchema), nextCursor: z.string().nullable() });

/** A series booking: what was booked, and the occurrences that were taken (with alternatives). */
export const seriesResult = z.object({
  seriesId: z.string(),
  booked: z.array(appointmentSchema),
  taken: z.array(z.object({ startsAt: z.string(), nextSlots: z.array(slotSchema) })),
});
export type SeriesResultDto = z.infer<typeof seriesResult>;

/** The body of a 409 `slot_taken`: the next free slots to offer instead. */
export const slotTakenDetails = z.object({ nextSlots: z.array(slotSchema) });
