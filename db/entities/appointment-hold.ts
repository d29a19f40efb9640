import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidPk } from './common';
import { Appointment } from './appointment';
import { Service } from './service';
import { Tenant } from './tenant';

/**
 * The time an appointment takes from one staff member or resource, buffers included, on one seat.
 * `EXCLUDE USING gist (assignee_id WITH =, seat WITH =, during WITH &&) WHERE (active)` (migration)
 * makes a double booking impossible whatever the code does; written with SQL (db/repos/scheduling-holds.ts)
 * because `during` is a tstzrange.
 */
export const AppointmentHold = defineEntity({
  name: 'AppointmentHold',
  tableName: 'appointment_holds',
  properties: {
    id: uuidPk(),
    appointment: p.manyToOne(Appointment).mapToPk().deleteRule('cascade').index(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    /** The appointment's service, copied so availability reads holds without a join. */
    service: p.manyToOne(Service).mapToPk(),
    assigneeId: p.uuid(),
    seat: p.integer(),
    /** `[start - bufferBefore, end + bufferAfter)` as PostgreSQL prints a tstzrange. */
    during: p.string().columnType('tstzrange'),
    active: p.boolean().default(true),
  },
});
export type AppointmentHold = InferEntity<typeof AppointmentHold>;
