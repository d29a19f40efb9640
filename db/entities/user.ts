import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { USER_ROLE_VALUES } from '../../core/api/auth';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** Console roles (see api/plugins/roles.ts for what each may do). */
export const USER_ROLES = USER_ROLE_VALUES;
export type UserRole = (typeof USER_ROLES)[number];

/** A person who signs in to the console. Emails are stored lower-cased, unique per tenant. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    email: p.string().length(320),
    name: p.string().length(200),
    role: p.enum(USER_ROLES),
    /** argon2id (PHC string). */
    passwordHash: p.text().lazy(),
    disabled: p.boolean().default(false),
    /** E.164; where a call this user takes over rings, and whether transfers to the human agents ring them. */
    phone: p.string().length(20).nullable(),
    lastLoginAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ properties: ['tenant', 'email'] }],
});
export type User = InferEntity<typeof User>;
