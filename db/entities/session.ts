import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common';
import { Tenant } from './tenant';
import { User } from './user';

/**
 * A console sign-in. The cookie holds a random token; only its sha256 is stored, so a database
 * leak does not hand out sessions. The CSRF token is per session and sent back by the console.
 */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    user: p.manyToOne(User).mapToPk().index().deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    csrfToken: p.string().length(64),
    /** Sliding: pushed forward while the session is used. */
    expiresAt: p.datetime().index(),
    createdAt: createdAt(),
  },
});
export type Session = InferEntity<typeof Session>;
