import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common';
import { Tenant } from './tenant';

export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    name: p.string(),
    /** First characters of the key, shown in lists so users can tell keys apart. */
    prefix: p.string().length(16),
    /** sha256 hex of the full key: keys are random 32-byte secrets, so a fast hash suffices. */
    hash: p.string().length(64).unique(),
    /** core/api/admin.ts API_KEY_SCOPES; keys made before scopes existed are `admin`, as they acted. */
    scope: p.text().default('admin'),
    expiresAt: p.datetime().nullable(),
    createdAt: createdAt(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiKey = InferEntity<typeof ApiKey>;
