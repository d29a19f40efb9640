import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGraph } from '../../core/graph/validate';
import { ApiKey, Flow, FlowVersion, Tenant, User } from '../../db/entities';
import { systemEm, tenantEm, type Orm } from '../../db/orm';
import { apiKeyByHash, checkPassword, hashApiKey } from '../../db/repos';
import { createSecretBox } from '../../db/secrets';
import { seed } from '../../db/seed';
import { TEST_SECRET_KEY, testConfig, testOrm } from './fixtures';

// The seed owns tenant `demo`; these tests run in order in one file.
let orm: Orm;
const dataDir = mkdtempSync(join(tmpdir(), 'sb-seed-'));
beforeAll(async () => {
  orm = await testOrm();
});
afterAll(() => orm.close(true));

describe('seed', () => {
  it('is idempotent: one tenant, one key, the same published flow', async () => {
    const config = testConfig({ DATA_DIR: dataDir });
    const first = await seed(orm, config);
    const second = await seed(orm, config);
    expect(second).toEqual(first);
    expect(first.apiKey).toMatch(/^sb_live_[\w-]{43}$/);
    expect(readFileSync(join(dataDir, 'demo-api-key'), 'utf8').trim()).toBe(first.apiKey);
    expect(statSync(join(dataDir, 'demo-api-key')).mode & 0o777).toBe(0o600);

    expect(await systemEm(orm).count(Tenant, { slug: 'demo' })).toBe(1);
    const em = tenantEm(orm, first.tenantId);
    expect(await em.count(ApiKey, {})).toBe(1);
    expect(await em.count(Flow, {})).toBe(1);
    const versions = await em.find(FlowVersion, { flow: first.flowId });
    expect(versions.map((v) => v.version)).toEqual([1]);
    expect(validateGraph(versions[0].graph).valid).toBe(true);
    expect((await apiKeyByHash(systemEm(orm), hashApiKey(first.apiKey!)))?.tenant).toBe(first.tenantId);
  });

  it('honours SWITCHBOARD_DEMO_API_KEY, re-hashing the demo key when it changes', async () => {
    const envKey = 'sb_live_from-the-environment-0000000000000000000000';
    const result = await seed(orm, testConfig({ DATA_DIR: dataDir, SWITCHBOARD_DEMO_API_KEY: envKey }));
    expect(result.apiKey).toBe(envKey);
    const em = tenantEm(orm, result.tenantId);
    const keys = await em.find(ApiKey, {});
    expect(keys).toHaveLength(1);
    expect(keys[0].hash).toBe(hashApiKey(envKey));
    expect(await seed(orm, testConfig({ DATA_DIR: dataDir, SWITCHBOARD_DEMO_API_KEY: envKey }))).toEqual(result);
  });

  it('stores the LLM provider with the API key encrypted', async () => {
    const result = await seed(orm, testConfig({ DATA_DIR: dataDir, LLM_BASE_URL: 'http://127.0.0.1:1/v1', LLM_API_KEY: 'sk-demo', LLM_MODEL: 'demo-model' }));
    const tenant = await systemEm(orm).findOneOrFail(Tenant, { id: result.tenantId });
    expect(tenant.settings.llm).toMatchObject({ baseURL: 'http://127.0.0.1:1/v1', model: 'demo-model' });
    expect(tenant.settings.llm!.apiKeyEncrypted).not.toContain('sk-demo');
    expect(createSecretBox({ v1: TEST_SECRET_KEY }).decrypt(tenant.settings.llm!.apiKeyEncrypted)).toBe('sk-demo');
  });

  it('creates the demo console admin with a generated password, kept for the next run, or the one from the environment', async () => {
    const first = await seed(orm, testConfig({ DATA_DIR: dataDir }));
    expect(first.adminEmail).toBe('admin@demo.local');
    expect(first.adminPassword).toMatch(/^[\w-]{16}$/);
    expect(readFileSync(join(dataDir, 'demo-admin-password'), 'utf8').trim()).toBe(first.adminPassword);
    expect(statSync(join(dataDir, 'demo-admin-password')).mode & 0o777).toBe(0o600);
    const em = tenantEm(orm, first.tenantId);
    const admin = await em.findOneOrFail(User, { email: 'admin@demo.local' }, { populate: ['passwordHash'] });
    expect(admin.role).toBe('admin');
    expect(await checkPassword(admin.passwordHash, first.adminPassword!)).toBe(true);
    expect((await seed(orm, testConfig({ DATA_DIR: dataDir }))).adminPassword).toBe(first.adminPassword);

    const fromEnv = await seed(orm, testConfig({ DATA_DIR: dataDir, SWITCHBOARD_DEMO_PASSWORD: 'chosen-demo-password' }));
    expect(fromEnv.adminPassword).toBe('chosen-demo-password');
    const changed = await tenantEm(orm, first.tenantId).findOneOrFail(User, { email: 'admin@demo.local' }, { populate: ['passwordHash'] });
    expect(await checkPassword(changed.passwordHash, 'chosen-demo-password')).toBe(true);
    expect(await em.count(User, {})).toBe(1);
  });
});
