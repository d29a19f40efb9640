/**
 * Scheduling settings and reads: locations, services, staff, resources and availability
 * exceptions (every member reads; writes are admin-only by the default rule of
 * api/plugins/roles.ts), `GET /v1/availability` (free slots, shown in a timezone of the caller's
 * choice) and the appointment reads. Booking and its actions live with the appointment workflow.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import {
  appointmentList,
  appointmentSchema,
  availabilityQuery,
  availabilityResponse,
  exceptionBody,
  exceptionQuery,
  exceptionSchema,
  listAppointmentsQuery,
  locationBody,
  locationPatch,
  locationSchema,
  resourceBody,
  resourcePatch,
  resourceSchema,
  serviceBody,
  servicePatch,
  serviceSchema,
  staffBody,
  staffPatch,
  staffSchema,
} from '../../core/api/scheduling';
import { AppError } from '../../core/errors';
import { formatSlot } from '../../core/scheduling';
import { Location, Resource, Service, StaffMember } from '../../db/entities';
import {
  createCatalogRow,
  createException,
  deleteCatalogRow,
  deleteException,
  dropFromServices,
  getCatalogRow,
  listCatalog,
  listExceptions,
  missingIds,
  sqlState,
  updateCatalogRow,
} from '../../db/repos';
import { exceptionDto, locationDto, resourceDto, serviceDto, staffDto } from '../../scheduling/dto';
import { findSlots, getAppointment, listAppointments } from '../../scheduling/service';

const tags = ['scheduling'];
const FOREIGN_KEY_VIOLATION = '23503';

/** A referenced row of this tenant, or a 404 naming the field (another tenant's id is no different from an unknown one). */
async function mustExist(em: EntityManager, entity: typeof Location | typeof StaffMember | typeof Resource, ids: string[], field: string, locationId?: string) {
  const missing = await missingIds(em, entity, ids);
  if (missing.length) throw new AppError('not_found', `${field}: no ${entity === Location ? 'location' : entity === StaffMember ? 'staff member' : 'resource'} ${missing[0]}`, { field });
  if (!locationId) return;
  const rows = await em.find(entity as typeof StaffMember, { id: { $in: ids } });
  const elsewhere = rows.find((r) => r.location !== locationId);
  if (elsewhere) throw new AppError('bad_request', `${field}: ${elsewhere.id} belongs to another location`, { field });
}

/** Renames `locationId` to the entity's `location` reference. */
const withLocation = <T extends { locationId?: string }>({ locationId, ...rest }: T) => ({ ...rest, ...(locationId ? { location: locationId } : {}) });

interface CatalogKind<E extends typeof Location | typeof Service | typeof StaffMember | typeof Resource> {
  path: string;
  what: string;
  entity: E;
  body: z.ZodType;
  patch: z.ZodType;
  schema: z.ZodType;
  dto: (row: never) => unknown;
  /** Checks references before a write; `current` is the row being changed. */
  check: (em: EntityManager, body: Record<string, unknown>, current?: Record<string, unknown>) => Promise<void>;
  /** Runs after the row is deleted (keeping other rows' id lists in step). */
  afterDelete?: (em: EntityManager, id: string) => Promise<void>;
}

function catalogRoutes<E extends typeof Location | typeof Service | typeof StaffMember | typeof Resource>(app: FastifyInstance, k: CatalogKind<E>) {
  const r = app.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
  const dto = k.dto as (row: unknown) => unknown;
  const notFound = () => new AppError('not_found', `${k.what} not found`, { field: 'id' });
  const list = z.object({ items: z.array(k.schema) });
  r.get(k.path, { schema: { tags, summary: `List ${k.what}s`, response: { 200: list, ...errorResponses } } }, async (request) => ({
    items: (await listCatalog(request.em, k.entity)).map(dto),
  }));
  r.post(k.path, { schema: { tags, summary: `Create a ${k.what}`, body: k.body, response: { 201: k.schema, ...errorResponses } } }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    await k.check(request.em, body);
    return reply.status(201).send(dto(await createCatalogRow(request.em, k.entity, request.tenantId, withLocation(body))));
  });
  r.get(`${k.path}/:id`, { schema: { tags, summary: `A ${k.what}`, params: uuidParam, response: { 200: k.schema, ...errorResponses } } }, async (request) => {
    const row = await getCatalogRow(request.em, k.entity, request.params.id);
    if (!row) throw notFound();
    return dto(row);
  });
  r.patch(`${k.path}/:id`, { schema: { tags, summary: `Change a ${k.what}`, params: uuidParam, body: k.patch, response: { 200: k.schema, ...errorResponses } } }, async (request) => {
    const row = await getCatalogRow(request.em, k.entity, request.params.id);
    if (!row) throw notFound();
    const body = request.body as Record<string, unknown>;
    await k.check(request.em, body, row as unknown as Record<string, unknown>);
    return dto(await updateCatalogRow(request.em, row, withLocation(body)));
  });
  r.delete(`${k.path}/:id`, { schema: { tags, summary: `Delete a ${k.what} (refused while appointments refer to it: deactivate it instead)`, params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    try {
      if (!(await deleteCatalogRow(request.em, k.entity, request.params.id))) throw notFound();
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) throw new AppError('conflict', `this ${k.what} has appointments: set active to false instead of deleting it`, { field: 'id' });
      throw err;
    }
    await k.afterDelete?.(request.em, request.params.id);
    return reply.status(204).send(null);
  });
}

const locationOf = (body: Record<string, unknown>, current?: Record<string, unknown>) => (body.locationId as string | undefined) ?? (current?.location as string | undefined);

export const schedulingRoutes: FastifyPluginAsyncZod = async (app) => {
  const checkLocation = async (em: EntityManager, body: Record<string, unknown>) => {
    if (body.locationId) await mustExist(em, Location, [body.locationId as string], 'locationId');
  };
  catalogRoutes(app, { path: '/v1/locations', what: 'location', entity: Location, body: locationBody, patch: locationPatch, schema: locationSchema, dto: locationDto, check: async () => {} });
  catalogRoutes(app, { path: '/v1/staff', what: 'staff member', entity: StaffMember, body: staffBody, patch: staffPatch, schema: staffSchema, dto: staffDto, check: checkLocation, afterDelete: (em, id) => dropFromServices(em, 'staffIds', id) });
  catalogRoutes(app, { path: '/v1/resources', what: 'resource', entity: Resource, body: resourceBody, patch: resourcePatch, schema: resourceSchema, dto: resourceDto, check: checkLocation, afterDelete: (em, id) => dropFromServices(em, 'resourceIds', id) });
  catalogRoutes(app, {
    path: '/v1/services',
    what: 'service',
    entity: Service,
    body: serviceBody,
    patch: servicePatch,
    schema: serviceSchema,
    dto: serviceDto,
    check: async (em, body, current) => {
      await checkLocation(em, body);
      const location = locationOf(body, current);
      const staffIds = (body.staffIds as string[] | undefined) ?? (body.locationId ? (current?.staffIds as string[] | undefined) : undefined);
      const resourceIds = (body.resourceIds as string[] | undefined) ?? (body.locationId ? (current?.resourceIds as string[] | undefined) : undefined);
      if (staffIds) await mustExist(em, StaffMember, [...new Set(staffIds)], 'staffIds', location);
      if (resourceIds) await mustExist(em, Resource, [...new Set(resourceIds)], 'resourceIds', location);
    },
  });

  app.get('/v1/availability-exceptions', { schema: { tags, summary: 'Availability exceptions (holidays, days off, special hours), by date', querystring: exceptionQuery, response: { 200: z.object({ items: z.array(exceptionSchema) }), ...errorResponses } } }, async (request) => ({
    items: (await listExceptions(request.em, request.query)).map(exceptionDto),
  }));
  app.post('/v1/availability-exceptions', { schema: { tags, summary: 'Close a date, or set its hours, for a location, a staff member or a resource', body: exceptionBody, response: { 201: exceptionSchema, ...errorResponses } } }, async (request, reply) => {
    const b = request.body;
    if (b.locationId) await mustExist(request.em, Location, [b.locationId], 'locationId');
    if (b.staffId) await mustExist(request.em, StaffMember, [b.staffId], 'staffId');
    if (b.resourceId) await mustExist(request.em, Resource, [b.resourceId], 'resourceId');
    return reply.status(201).send(exceptionDto(await createException(request.em, request.tenantId, b)));
  });
  app.delete('/v1/availability-exceptions/:id', { schema: { tags, summary: 'Remove an availability exception', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    if (!(await deleteException(request.em, request.params.id))) throw new AppError('not_found', 'availability exception not found', { field: 'id' });
    return reply.status(204).send(null);
  });

  app.get(
    '/v1/availability',
    { schema: { tags, summary: 'Free slots of a service between from and to (at most 62 days), shown in `timezone` (default: the location’s)', querystring: availabilityQuery, response: { 200: availabilityResponse, ...errorResponses } } },
    async (request) => {
      const q = request.query;
      const slots = await findSlots(request.em, request.tenantId, q);
      const service = (await getCatalogRow(request.em, Service, q.serviceId))!;
      const location = (await getCatalogRow(request.em, Location, service.location))!;
      const timezone = q.timezone ?? location.timezone;
      return {
        serviceId: service.id,
        locationTimezone: location.timezone,
        timezone,
        slots: slots.map((s) => ({ ...s, localStartsAt: DateTime.fromISO(s.startsAt).setZone(timezone).toISO({ suppressMilliseconds: true })!, label: formatSlot(s, { timezone, locale: q.locale }) })),
      };
    },
  );

  app.get('/v1/appointments', { schema: { tags, summary: 'Appointments by start time, filtered; cursor pagination', querystring: listAppointmentsQuery, response: { 200: appointmentList, ...errorResponses } } }, async (request) =>
    listAppointments(request.em, request.tenantId, request.query),
  );
  app.get('/v1/appointments/:id', { schema: { tags, summary: 'An appointment', params: uuidParam, response: { 200: appointmentSchema, ...errorResponses } } }, async (request) =>
    getAppointment(request.em, request.tenantId, request.params.id),
  );
};
