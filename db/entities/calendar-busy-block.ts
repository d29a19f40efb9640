import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common';
import { StaffMember } from './staff-member';
import { Tenant } from './tenant';

/** A busy time read from a staff member's own calendar: availability subtracts it. */
export const CalendarBusyBlock = defineEntity({
  name: 'CalendarBusyBlock',
  tableName: 'calendar_busy_blocks',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    staff: p.manyToOne(StaffMember).mapToPk().deleteRule('cascade'),
    uid: p.text(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    summary: p.text().default(''),
    createdAt: createdAt(),
  },
  // A recurring event repeats its UID: an occurrence is (uid, start).
  uniques: [{ properties: ['staff', 'uid', 'startsAt'] }],
});
export type CalendarBusyBlock = InferEntity<typeof CalendarBusyBlock>;
