import { randomBytes } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { WeeklyHours } from '../../core/scheduling/types';
import { createdAt, updatedAt, uuidPk } from './common';
import { Location } from './location';
import { Tenant } from './tenant';

/** CalDAV connection of a staff member; the password is encrypted with db/secrets.ts. */
export interface CaldavSettings {
  url: string;
  username: string;
  passwordEncrypted: string;
  calendarUrl: string;
}

/** A person who delivers services, with weekly hours in the location's timezone. */
export const StaffMember = defineEntity({
  name: 'StaffMember',
  tableName: 'staff_members',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    location: p.manyToOne(Location).mapToPk().deleteRule('cascade'),
    name: p.text(),
    email: p.string().nullable(),
    userId: p.uuid().nullable(),
    weeklyHours: p.json<WeeklyHours>(),
    active: p.boolean().default(true),
    caldav: p.json<CaldavSettings>().nullable(),
    /** The secret in the private iCalendar feed URL; rotating it revokes old subscriptions. */
    icsFeedToken: p.string().unique().onCreate(() => randomBytes(24).toString('base64url')),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type StaffMember = InferEntity<typeof StaffMember>;
