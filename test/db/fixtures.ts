/** Shared fixtures for db and activity tests: an ORM on the test database and a tenant with a conversation. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../core/config';
import type { TenantSettings } from '../../db/entities';
import { createOrm, systemEm, tenantEm, type Orm } from '../../db/orm';
import { createConversation, createFlow, ensureTenant, updateTenantSettings } from '../../db/repos';
import { graphSchema } from '../../core/graph/schema';

export const TEST_SECRET_KEY = randomBytes(32).toString('hex');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    SWITCHBOARD_SECRET_KEY: TEST_SECRET_KEY,
    OUTBOUND_ALLOWED_PRIVATE: process.env.OUTBOUND_ALLOWED_PRIVATE,
    ...env,
  });
}

export const testOrm = (): Promise<Orm> => createOrm(inject('databaseUrl'), { poolSize: 4 });

export const uniqueSlug = (prefix = 't') => `${prefix}-${randomBytes(6).toString('hex')}`;

const EMPTY_GRAPH = graphSchema.parse({ nodes: [{ id: 'start', type: 'start', data: {} }], edges: [], settings: { handoffKeywords: [] } });

/** A tenant with one flow and one conversation on the `api` channel. */
export async function makeTenant(orm: Orm, settings: TenantSettings = {}) {
  const tenant = await ensureTenant(systemEm(orm), uniqueSlug(), 'Test tenant');
  if (Object.keys(settings).length) await updateTenantSettings(systemEm(orm), tenant.id, settings);
  const em = tenantEm(orm, tenant.id);
  const flow = await createFlow(em, tenant.id, { name: 'Test flow', draft: EMPTY_GRAPH });
  const conversation = await createConversation(em, tenant.id, { flowId: flow.id, flowVersion: 1, channel: 'api' });
  return { tenantId: tenant.id, flowId: flow.id, conversationId: conversation.id, workflowId: conversation.workflowId };
}
