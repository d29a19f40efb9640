/**
 * `GET /v1/appointments/analytics?from&to`: the tenant's booking figures for the console's charts
 * (bookings, cancellations, no-show rate, lead time, busiest hours). Every role may read it, as
 * every other GET; the tenant is the caller's, and the SQL names it (db/repos/booking-analytics.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../core/api/common';
import { analyticsQuery, analyticsSchema } from '../../core/api/public-booking';
import { bookingAnalytics } from '../../db/repos/booking-analytics';

export const schedulingAnalyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/appointments/analytics',
    {
      schema: {
        tags: ['appointments'],
        summary: "Booking analytics for appointments starting on from..to (YYYY-MM-DD, the location's local dates, a year at most)",
        querystring: analyticsQuery,
        response: { 200: analyticsSchema, ...errorResponses },
      },
    },
    async (request) => bookingAnalytics(request.em, request.tenantId, request.query.from, request.query.to),
  );
};
