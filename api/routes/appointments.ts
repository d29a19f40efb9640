/**
 * Booking and changing appointments over REST. A booking is the scheduling service's (the database
 * refuses a double booking) followed by the start of the booking's `appointment` run; every later
 * change goes through that run's updates, so its reminders move or stop with the booking. A run
 * that is over (cancelled, or past its attendance window) no longer owns the booking: the change is
 * then written directly. Agents and builders may book and change (api/plugins/roles.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idempotencyKey, uuidParam } from '../../core/api/common';
import { appointmentSchema, bookBody, cancelBody, rescheduleBody, seriesResult } from '../../core/api/scheduling';
import { AppError } from '../../core/errors';
import { bookAppointment, bookAppointmentSeries, cancelAppointment, rescheduleAppointment, setAppointmentStatus, SlotTakenError } from '../../scheduling/service';
import { AppointmentRunClosedError, AppointmentSlotTakenError, cancelViaWorkflow, markViaWorkflow, rescheduleViaWorkflow, startAppointment } from '../../temporal/appointments';
import type { AppDeps } from '../deps';

const idempotencyHeader = z.object({ 'idempotency-key': idempotencyKey().optional() }).loose();

export const appointmentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['appointments'];
    const client = deps.temporal;
    const taskQueue = deps.config.TEMPORAL_TASK_QUEUE;

    /** Through the run; a run that is over leaves the row to `direct`. A taken slot is the service's 409 with the next free slots. */
    async function viaRun<T>(tenantId: string, run: () => Promise<T>, direct: () => Promise<T>): Promise<T> {
      try {
        return await run();
      } catch (err) {
        if (err instanceof AppointmentRunClosedError) return direct();
        if (err instanceof AppointmentSlotTakenError) throw new SlotTakenError(err.nextSlots as never);
        throw err;
      }
    }

    app.post(
      '/v1/appointments',
      {
        schema: {
          tags,
          summary: 'Book an appointment (Idempotency-Key header or body idempotencyKey: the same key books once); 409 slot_taken carries nextSlots. With recurrenceRule, every free occurrence is booked and the taken ones are listed',
          headers: idempotencyHeader,
          body: bookBody,
          response: { 201: z.union([appointmentSchema, seriesResult]), ...errorResponses },
        },
      },
      async (request, reply) => {
        const header = request.headers['idempotency-key'];
        const key = (typeof header === 'string' ? header : undefined) ?? request.body.idempotencyKey;
        if (header && request.body.idempotencyKey && header !== request.body.idempotencyKey) {
          throw new AppError('validation_failed', 'the Idempotency-Key header and idempotencyKey differ', { field: 'idempotencyKey' });
        }
        const input = { ...request.body, ...(key ? { idempotencyKey: key } : {}), source: 'api' as const };
        const start = (appointmentId: string) => startAppointment(client, { tenantId: request.tenantId, appointmentId }, taskQueue);
        // A series: each booked occurrence is its own appointment with its own run.
        if (input.recurrenceRule) {
          const series = await bookAppointmentSeries(request.em, request.tenantId, { ...input, recurrenceRule: input.recurrenceRule });
          for (const booked of series.booked) await start(booked.id);
          return reply.status(201).send(series);
        }
        const appointment = await bookAppointment(request.em, request.tenantId, input);
        await start(appointment.id);
        return reply.status(201).send(appointment);
      },
    );

    app.post(
      '/v1/appointments/:id/reschedule',
      { schema: { tags, summary: 'Move a booking (its reminders move with it); 409 slot_taken carries nextSlots', params: uuidParam, body: rescheduleBody, response: { 200: appointmentSchema, ...errorResponses } } },
      async (request) => {
        const { tenantId, params, body } = request;
        return viaRun(
          tenantId,
          () => rescheduleViaWorkflow(client, tenantId, params.id, body),
          () => rescheduleAppointment(request.em, tenantId, params.id, body),
        );
      },
    );

    app.post(
      '/v1/appointments/:id/cancel',
      { schema: { tags, summary: 'Cancel a booking (its reminders stop; the contact and the staff member are told)', params: uuidParam, body: cancelBody, response: { 200: appointmentSchema, ...errorResponses } } },
      async (request) => {
        const { tenantId, params, body } = request;
        return viaRun(
          tenantId,
          () => cancelViaWorkflow(client, tenantId, params.id, body),
          () => cancelAppointment(request.em, tenantId, params.id, body),
        );
      },
    );

    const marks = [
      ['confirm', 'confirmed', 'Mark a booking confirmed (reminders stop asking)'],
      ['no-show', 'no_show', 'Mark that the customer did not come'],
      ['complete', 'completed', 'Mark the booking attended (the follow-up is sent)'],
    ] as const;
    for (const [path, status, summary] of marks) {
      app.post(`/v1/appointments/:id/${path}`, { schema: { tags, summary, params: uuidParam, response: { 200: appointmentSchema, ...errorResponses } } }, async (request) => {
        const { tenantId, params } = request;
        return viaRun(
          tenantId,
          () => markViaWorkflow(client, tenantId, params.id, status),
          () => setAppointmentStatus(request.em, tenantId, params.id, status),
        );
      });
    }
  };
