import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { APPOINTMENT_SOURCES, APPOINTMENT_STATUSES, CANCELLED_BY } from '../../core/api/scheduling';
import { createdAt, updatedAt, uuidPk } from './common';
import { Contact } from './contact';
import { Conversation } from './conversation';
import { Location } from './location';
import { Resource } from './resource';
import { Service } from './service';
import { StaffMember } from './staff-member';
import { Tenant } from './tenant';

/**
 * A booking. Its time is held by AppointmentHold rows (one per staff member / resource), which
 * the database keeps from overlapping; the appointment itself is the record people see.
 */
export const Appointment = defineEntity({
  name: 'Appointment',
  tableName: 'appointments',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    service: p.manyToOne(Service).mapToPk(),
    location: p.manyToOne(Location).mapToPk(),
    staff: p.manyToOne(StaffMember).mapToPk().nullable(),
    resource: p.manyToOne(Resource).mapToPk().nullable(),
    contact: p.manyToOne(Contact).mapToPk().nullable().deleteRule('set null'),
    conversation: p.manyToOne(Conversation).mapToPk().nullable().deleteRule('set null'),
    channel: p.string().nullable(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    status: p.enum(APPOINTMENT_STATUSES).default('booked'),
    customerName: p.text(),
    customerEmail: p.string().nullable(),
    customerPhone: p.string().nullable(),
    customerTimezone: p.string().nullable(),
    notes: p.text().default(''),
    source: p.enum(APPOINTMENT_SOURCES),
    seriesId: p.uuid().nullable(),
    recurrenceRule: p.text().nullable(),
    /** Unique per tenant: the same key books once and answers the same appointment. */
    idempotencyKey: p.string().nullable(),
    calendarEventUid: p.string().nullable(),
    calendarEventHref: p.text().nullable(),
    calendarEventEtag: p.string().nullable(),
    cancelledAt: p.datetime().nullable(),
    cancelReason: p.text().nullable(),
    cancelledBy: p.enum(CANCELLED_BY).nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Appointment = InferEntity<typeof Appointment>;
