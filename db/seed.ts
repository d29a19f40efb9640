/**
 * Idempotent demo data: tenant `demo`, one API key, the console user admin@demo.local, the "Front
 * desk" flow published as v1 and, when LLM_BASE_URL is configured, the tenant's LLM provider.
 * Running it twice changes nothing.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { validateGraph } from '../core/graph/validate';
import { ApiKey, Flow, Tenant, User } from './entities';
import { FRONT_DESK_NAME, frontDeskGraph } from './demo-flow';
import { tenantEm } from './orm';
import { API_KEY_PREFIX, apiKeyPrefix, checkPassword, createApiKey, createFlow, createUser, ensureTenant, getFlowVersion, hashApiKey, normalizeEmail, publishFlowVersion, updateUser } from './repos';
import { secretBoxFromConfig } from './secrets';

export interface SeedResult {
  tenantId: string;
  /** Null only when a key exists whose plaintext is no longer known (not from env, key file lost). */
  apiKey: string | null;
  flowId: string;
  /** The demo console user; its password is null only when it was changed and is no longer known. */
  adminEmail: string;
  adminPassword: string | null;
}

const DEMO_KEY_NAME = 'demo';

export async function seed(orm: MikroORM, config: Config): Promise<SeedResult> {
  const tenant = await ensureTenant(orm.em.fork(), 'demo', 'Demo');
  const em = tenantEm(orm, tenant.id);
  const apiKey = await ensureApiKey(em, tenant.id, config);
  const flowId = await ensureFrontDesk(em, tenant.id);
  const adminPassword = await ensureDemoAdmin(em, tenant.id, config);
  await ensureLlmProvider(orm.em.fork(), tenant, config);
  return { tenantId: tenant.id, apiKey, flowId, adminEmail: DEMO_ADMIN_EMAIL, adminPassword };
}

export const DEMO_ADMIN_EMAIL = 'admin@demo.local';

/**
 * SWITCHBOARD_DEMO_PASSWORD wins (the user's password is reset to it when it differs). Otherwise
 * one is generated when the user is created and kept in `${DATA_DIR}/demo-admin-password` (0600).
 */
async function ensureDemoAdmin(em: EntityManager, tenantId: string, config: Config): Promise<string | null> {
  const file = join(config.DATA_DIR, 'demo-admin-password');
  const saved = existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
  const password = config.SWITCHBOARD_DEMO_PASSWORD ?? saved ?? randomBytes(12).toString('base64url');
  const existing = await em.findOne(User, { email: normalizeEmail(DEMO_ADMIN_EMAIL) }, { populate: ['passwordHash'] });
  if (!existing) {
    await createUser(em, tenantId, { email: DEMO_ADMIN_EMAIL, name: 'Demo admin', role: 'admin', password });
  } else if (!(await checkPassword(existing.passwordHash, password))) {
    if (!config.SWITCHBOARD_DEMO_PASSWORD) return null;
    await updateUser(em, existing.id, { password });
  }
  if (!config.SWITCHBOARD_DEMO_PASSWORD && saved !== password) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return password;
}

/**
 * SWITCHBOARD_DEMO_API_KEY wins (the demo key row is re-hashed when it changed). Otherwise a key is
 * generated only when the tenant has none, and kept in `${DATA_DIR}/demo-api-key` (0600) so later
 * runs can print it again.
 */
async function ensureApiKey(em: EntityManager, tenantId: string, config: Config): Promise<string | null> {
  const keys = await em.find(ApiKey, { revokedAt: null }, { orderBy: { createdAt: 'asc' } });
  const envKey = config.SWITCHBOARD_DEMO_API_KEY;
  if (envKey) {
    const hash = hashApiKey(envKey);
    if (keys.some((k) => k.hash === hash)) return envKey;
    const demo = keys.find((k) => k.name === DEMO_KEY_NAME);
    if (demo) {
      demo.hash = hash;
      demo.prefix = apiKeyPrefix(envKey);
      await em.flush();
    } else {
      await createApiKey(em, tenantId, DEMO_KEY_NAME, { key: envKey });
    }
    return envKey;
  }

  const file = join(config.DATA_DIR, 'demo-api-key');
  const saved = existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
  if (keys.length > 0) return saved && keys.some((k) => k.hash === hashApiKey(saved)) ? saved : null;

  const { key } = await createApiKey(em, tenantId, DEMO_KEY_NAME, { key: saved?.startsWith(API_KEY_PREFIX) ? saved : undefined });
  mkdirSync(config.DATA_DIR, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

async function ensureFrontDesk(em: EntityManager, tenantId: string): Promise<string> {
  const existing = await em.findOne(Flow, { name: FRONT_DESK_NAME }, { orderBy: { createdAt: 'asc' } });
  const flow = existing ?? (await createFlow(em, tenantId, { name: FRONT_DESK_NAME, description: 'Greets visitors, answers with AI, hands complaints to a human.', draft: frontDeskGraph }));
  if (!(await getFlowVersion(em, flow.id))) {
    const checked = validateGraph(frontDeskGraph);
    if (!checked.valid || !checked.graph) throw new Error(`demo flow is invalid: ${checked.errors.map((e) => e.message).join('; ')}`);
    await publishFlowVersion(em, flow.id, checked.graph, 'Seeded demo flow');
  }
  return flow.id;
}

async function ensureLlmProvider(em: EntityManager, tenant: Tenant, config: Config): Promise<void> {
  if (!config.LLM_BASE_URL) return;
  const box = secretBoxFromConfig(config);
  const apiKey = config.LLM_API_KEY ?? '';
  const current = tenant.settings.llm;
  if (current?.baseURL === config.LLM_BASE_URL && current.model === config.LLM_MODEL && safeDecrypt(box, current.apiKeyEncrypted) === apiKey) return;
  const settings = { ...tenant.settings, llm: { ...current, baseURL: config.LLM_BASE_URL, model: config.LLM_MODEL, apiKeyEncrypted: box.encrypt(apiKey) } };
  await em.nativeUpdate(Tenant, { id: tenant.id }, { settings });
}

function safeDecrypt(box: ReturnType<typeof secretBoxFromConfig>, value: string): string | null {
  try {
    return box.decrypt(value);
  } catch {
    return null;
  }
}
