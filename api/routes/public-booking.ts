/**
 * The public booking page per tenant: `/book/:tenantSlug` (one HTML page, mobile-first, no login,
 * embeddable in an iframe on the sites the tenant names) and its JSON routes under
 * `/v1/public/booking/:tenantSlug`: the services, a day's free slots in the visitor's timezone, a
 * booking (idempotent by the page's key; a taken slot is a 409 with the next free ones) and the
 * booking's .ics by a signed link. Rate-limited per IP and tenant like the widget's routes.
 * The setting that turns the page on is `GET/PUT /v1/settings/booking-page` (admins).
 */
import { readFile } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import {
  PUBLIC_BOOKING_READ_LIMIT,
  PUBLIC_BOOKING_WRITE_LIMIT,
  bookingPageSettingsSchema,
  bookingPageSettingsView,
  publicBookBody,
  publicBookingSchema,
  publicIcsQuery,
  publicPageSchema,
  publicSlotsQuery,
  tenantSlugParams,
} from '../../core/api/public-booking';
import { slotSchema } from '../../core/api/scheduling';
import { AppError } from '../../core/errors';
import { Location, Service } from '../../db/entities';
import { systemEm, tenantEm } from '../../db/orm';
import { tenantById, updateTenantSettings } from '../../db/repos';
import { appointmentIcs } from '../../scheduling/ics';
import { bookAppointment, findSlots, getAppointment } from '../../scheduling/service';
import { startAppointment } from '../../temporal/appointments';
import { pageCsp } from '../plugins/security-headers';
import { enforceRateLimit, type RateLimit } from '../services/rate-limit';
import { bookingPageOf, frameAncestors, requireBookingTenant, signBookingLink, verifyBookingLink, type BookingTenant } from '../services/booking-links';
import type { AppDeps } from '../deps';
import { mailerAddress } from '../../webhooks/mailer';

const BOOKING_PAGE = new URL('../public/booking.html', import.meta.url);
const tags = ['public booking'];
const publicRoute = { public: true };
const base = '/v1/public/booking/:tenantSlug';

/** The address in `Name <address>` (SMTP_FROM), which calendar apps show as the organizer's. */

export const publicBookingRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const html = await readFile(BOOKING_PAGE, 'utf8');
    /** The page where the booking was made, on the public address when one is configured. */
    const pageUrl = (request: FastifyRequest, slug: string) => `${deps.config.PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`}/book/${slug}`;
    const limited = (request: FastifyRequest, reply: FastifyReply, tenant: BookingTenant, kind: 'read' | 'write', limit: RateLimit) =>
      enforceRateLimit(deps.redis, `booking-${kind}:${tenant.id}:${request.ip}`, limit, reply);

    app.get('/book/:tenantSlug', { config: publicRoute, schema: { hide: true, params: tenantSlugParams } }, async (request, reply) => {
      const tenant = await requireBookingTenant(deps.orm, request.params.tenantSlug);
      // The page may be framed by the tenant's sites: its own frame-ancestors, and no X-Frame-Options (which cannot name several).
      reply.removeHeader('x-frame-options');
      return reply
        .header('content-security-policy', pageCsp(html, frameAncestors(tenant.page)))
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(html);
    });

    app.get(
      base,
      { config: publicRoute, schema: { tags, summary: "The booking page's title and the tenant's active services", params: tenantSlugParams, response: { 200: publicPageSchema, ...errorResponses } } },
      async (request, reply) => {
        const tenant = await requireBookingTenant(deps.orm, request.params.tenantSlug);
        await limited(request, reply, tenant, 'read', PUBLIC_BOOKING_READ_LIMIT);
        const em = tenantEm(deps.orm, tenant.id);
        const services = await em.find(Service, { active: true }, { orderBy: { name: 'asc' } });
        const locations = await em.find(Location, { id: { $in: [...new Set(services.map((s) => s.location))] } });
        const zone = new Map(locations.map((l) => [l.id, l.timezone]));
        return {
          tenantName: tenant.name,
          title: tenant.page.title,
          intro: tenant.page.intro,
          services: services.map((s) => ({
            id: s.id,
            name: s.name,
            description: s.description,
            durationMinutes: s.durationMinutes,
            priceCents: s.priceCents ?? null,
            currency: s.currency,
            timezone: zone.get(s.location) ?? 'UTC',
          })),
        };
      },
    );

    app.get(
      `${base}/slots`,
      {
        config: publicRoute,
        schema: {
          tags,
          summary: "A service's free slots on one day of the visitor's timezone",
          params: tenantSlugParams,
          querystring: publicSlotsQuery,
          response: { 200: z.object({ slots: z.array(slotSchema) }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const tenant = await requireBookingTenant(deps.orm, request.params.tenantSlug);
        await limited(request, reply, tenant, 'read', PUBLIC_BOOKING_READ_LIMIT);
        const { serviceId, date, timezone } = request.query;
        const day = DateTime.fromISO(date, { zone: timezone });
        if (!day.isValid) throw new AppError('validation_failed', `date ${date} does not exist`, { field: 'date' });
        const slots = await findSlots(tenantEm(deps.orm, tenant.id), tenant.id, { serviceId, from: day.startOf('day').toUTC().toISO()!, to: day.plus({ days: 1 }).startOf('day').toUTC().toISO()! });
        return { slots };
      },
    );

    app.post(
      `${base}/appointments`,
      {
        config: publicRoute,
        schema: {
          tags,
          summary: 'Book a slot (the same idempotencyKey answers the same booking); a slot taken meanwhile is a 409 slot_taken with details.nextSlots',
          params: tenantSlugParams,
          body: publicBookBody,
          response: { 200: publicBookingSchema, 201: publicBookingSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const tenant = await requireBookingTenant(deps.orm, request.params.tenantSlug);
        await limited(request, reply, tenant, 'write', PUBLIC_BOOKING_WRITE_LIMIT);
        const b = request.body;
        const em = tenantEm(deps.orm, tenant.id);
        // A slot taken meanwhile throws SlotTakenError: a 409 slot_taken whose details carry the next free slots.
        const booked = await bookAppointment(em, tenant.id, {
          serviceId: b.serviceId,
          startsAt: b.startsAt,
          staffId: b.staffId,
          resourceId: b.resourceId,
          customer: { name: b.name, email: b.email, phone: b.phone, timezone: b.timezone },
          notes: b.notes,
          source: 'page',
          idempotencyKey: `page:${b.idempotencyKey}`,
        });
        // The workflow sends the confirmation and the reminders; starting it again for a retried key is a no-op.
        await startAppointment(deps.temporal, { tenantId: tenant.id, appointmentId: booked.id }, deps.config.TEMPORAL_TASK_QUEUE);
        const icsUrl = `${base.replace(':tenantSlug', tenant.slug)}/appointments/${booked.id}/ics?token=${signBookingLink(deps.secretKey, tenant.id, booked.id)}`;
        return reply.status(201).send({
          id: booked.id,
          serviceName: booked.serviceName,
          staffName: booked.staffName ?? null,
          startsAt: booked.startsAt,
          endsAt: booked.endsAt,
          timezone: booked.timezone,
          status: booked.status,
          icsUrl,
        });
      },
    );

    app.get(
      `${base}/appointments/:id/ics`,
      {
        config: publicRoute,
        schema: { tags, summary: "The booking as an iCalendar file, by the signed link the booking's answer gave", params: tenantSlugParams.extend(uuidParam.shape), querystring: publicIcsQuery },
      },
      async (request, reply) => {
        const tenant = await requireBookingTenant(deps.orm, request.params.tenantSlug);
        await limited(request, reply, tenant, 'read', PUBLIC_BOOKING_READ_LIMIT);
        verifyBookingLink(deps.secretKey, tenant.id, request.params.id, request.query.token);
        const appointment = await getAppointment(tenantEm(deps.orm, tenant.id), tenant.id, request.params.id);
        return reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', 'attachment; filename="appointment.ics"')
          .header('cache-control', 'private, no-store')
          .send(appointmentIcs(appointment, { organizer: { name: tenant.name, email: mailerAddress(deps.config) }, url: pageUrl(request, tenant.slug), method: 'PUBLISH' }));
      },
    );

    // The setting (admins, by the /v1/settings rule): where the page lives and whether it is on.
    const view = (slug: string, stored: unknown) => ({ ...bookingPageOf(stored), path: `/book/${slug}` });
    app.get(
      '/v1/settings/booking-page',
      { schema: { tags: ['settings'], summary: 'The public booking page setting and its path', response: { 200: bookingPageSettingsView, ...errorResponses } } },
      async (request) => {
        const tenant = (await tenantById(systemEm(deps.orm), request.tenantId))!;
        return view(tenant.slug, tenant.settings.bookingPage);
      },
    );
    app.put(
      '/v1/settings/booking-page',
      {
        schema: {
          tags: ['settings'],
          summary: 'Turn the public booking page on or off, set its title, intro and the sites that may embed it',
          body: bookingPageSettingsSchema,
          response: { 200: bookingPageSettingsView, ...errorResponses },
        },
      },
      async (request) => {
        const tenant = await updateTenantSettings(systemEm(deps.orm), request.tenantId, { bookingPage: request.body });
        return view(tenant.slug, tenant.settings.bookingPage);
      },
    );
  };
