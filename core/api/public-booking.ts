/**
 * The public booking page (`/book/:tenantSlug`) and its routes under `/v1/public/booking/:tenantSlug`,
 * the tenant's booking-page setting, and the booking analytics the console charts. The page is
 * public: it sees a service's name, length and price and the free slots, never who else booked.
 */
import { z } from 'zod';
import { idempotencyKey, text } from './common';
import { timezoneSchema } from './scheduling';
import { originSchema } from './widget';

export const bookingPageSettingsSchema = z
  .object({
    /** Off until an admin turns it on: a tenant's catalogue is not public by default. */
    enabled: z.boolean().default(false),
    title: text().trim().min(1).max(80).default('Book an appointment'),
    /** Shown under the title; empty for none. */
    intro: text().trim().max(500).default(''),
    /** Sites that may show the page in an iframe (CSP frame-ancestors); empty allows any site. */
    embedOrigins: z.array(originSchema).max(100).default([]),
  })
  .strict();
export type BookingPageSettings = z.infer<typeof bookingPageSettingsSchema>;

/** What the settings route answers: the stored setting and where the page lives. */
export const bookingPageSettingsView = bookingPageSettingsSchema.extend({ path: z.string() });

/** Slot and booking calls per IP and tenant per minute: a visitor clicks a few days, a script does not get far. */
export const PUBLIC_BOOKING_READ_LIMIT = { max: 120, windowSeconds: 60 };
export const PUBLIC_BOOKING_WRITE_LIMIT = { max: 10, windowSeconds: 60 };

export const tenantSlugParams = z.object({
  tenantSlug: text().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'tenantSlug must be lower-case letters, digits and dashes'),
});

export const publicServiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  durationMinutes: z.number().int(),
  priceCents: z.number().int().nullable(),
  currency: z.string(),
  timezone: z.string(),
});

export const publicPageSchema = z.object({
  tenantName: z.string(),
  title: z.string(),
  intro: z.string(),
  services: z.array(publicServiceSchema),
});

export const publicSlotsQuery = z.object({
  serviceId: z.uuid({ message: 'serviceId must be a UUID' }),
  date: text().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'),
  /** The visitor's timezone: `date` is that day there. */
  timezone: timezoneSchema,
});

export const publicBookBody = z
  .object({
    serviceId: z.uuid({ message: 'serviceId must be a UUID' }),
    startsAt: z.iso.datetime({ offset: true, message: 'startsAt must be an ISO date-time' }),
    staffId: z.uuid({ message: 'staffId must be a UUID' }).optional(),
    resourceId: z.uuid({ message: 'resourceId must be a UUID' }).optional(),
    name: text().trim().min(1, 'name is required').max(200),
    email: z.email({ message: 'email must be an email address' }).max(320).optional(),
    phone: text().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'phone must be a phone number such as +31 20 123 4567').optional(),
    timezone: timezoneSchema.optional(),
    notes: text().trim().max(1000).optional(),
    idempotencyKey: idempotencyKey(),
  })
  .strict()
  .refine((b) => b.email || b.phone, { message: 'give an email address or a phone number', path: ['email'] });

export const publicBookingSchema = z.object({
  id: z.string(),
  serviceName: z.string(),
  staffName: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  status: z.string(),
  /** A signed link to the booking's .ics file. */
  icsUrl: z.string(),
});

export const publicIcsQuery = z.object({ token: text().min(1).max(500) });

export const analyticsQuery = z
  .object({
    from: text().regex(/^\d{4}-\d{2}-\d{2}$/, 'from must be YYYY-MM-DD'),
    to: text().regex(/^\d{4}-\d{2}-\d{2}$/, 'to must be YYYY-MM-DD'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, { message: 'the range may span a year at most', path: ['to'] });

export const analyticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object({
    bookings: z.number().int(),
    cancellations: z.number().int(),
    noShows: z.number().int(),
    completed: z.number().int(),
    /** no-shows / (completed + no-shows); null before anyone was due. */
    noShowRate: z.number().nullable(),
    cancellationRate: z.number().nullable(),
    /** Hours between booking and start. */
    leadTimeHoursMedian: z.number().nullable(),
    leadTimeHoursAverage: z.number().nullable(),
  }),
  /** Per local day (the location's timezone). */
  daily: z.array(z.object({ date: z.string(), bookings: z.number().int(), cancellations: z.number().int(), noShows: z.number().int() })),
  /** Start hour in the location's local time (0-23), cancelled bookings left out. */
  busiestHours: z.array(z.object({ hour: z.number().int(), bookings: z.number().int() })),
  leadTime: z.array(z.object({ bucket: z.string(), bookings: z.number().int() })),
  byService: z.array(z.object({ serviceId: z.string(), serviceName: z.string(), bookings: z.number().int(), cancellations: z.number().int() })),
});
export type BookingAnalytics = z.infer<typeof analyticsSchema>;
