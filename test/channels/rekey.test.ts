/** Key rotation: old keys keep decrypting, `rekey` moves every secret at rest to the current key. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { createOrm, systemEm, tenantEm, type Orm } from '../../db/orm';
import { createChannel, createWebhookSubscription, ensureTenant, getChannel, getWebhookSubscription, updateTenantSettings } from '../../db/repos';
import { rekeySecrets } from '../../db/rekey';
import { createSecretBox, secretBoxFromConfig } from '../../db/secrets';
import { createScratchDatabase, DEFAULT_ADMIN_URL, type ScratchDatabase } from '../support/database';

let db: ScratchDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await createScratchDatabase(process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_rekey');
  orm = await createOrm(db.url, { poolSize: 2 });
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

describe('secret key rotation', () => {
  it('decrypts with previous keys and re-encrypts channels, webhook secrets and tenant secrets under the new one', async () => {
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('base64');
    const before = secretBoxFromConfig(loadConfig({ SWITCHBOARD_SECRET_KEY: oldKey }));
    const tenant = await ensureTenant(systemEm(orm), `rekey-${randomBytes(4).toString('hex')}`, 'Rekey');
    const credentials = { accessToken: 'EAAG-token', appSecret: 'app-secret', verifyToken: 'verify' };
    const channel = await createChannel(tenantEm(orm, tenant.id), tenant.id, {
      type: 'whatsapp', name: 'wa', flowId: null, settings: { phoneNumberId: '12345' }, credentialFields: Object.keys(credentials), credentialsEncrypted: before.encrypt(JSON.stringify(credentials)),
    });
    const hook = await createWebhookSubscription(tenantEm(orm, tenant.id), tenant.id, { url: 'https://example.com/hook', eventTypes: ['*'], description: '', enabled: true, secretEncrypted: before.encrypt('whsec_test') });
    await updateTenantSettings(systemEm(orm), tenant.id, { llm: { baseURL: 'https://llm.example.com/v1', model: 'm', apiKeyEncrypted: before.encrypt('sk-llm'), fallbacks: [{ baseURL: 'https://b.example.com', model: 'm', apiKeyEncrypted: before.encrypt('sk-fallback') }] } });

    await orm.em.fork().getConnection().execute(`insert into menu_pos_connections (tenant_id, provider, access_token_encrypted) values (?, 'square', ?)`, [tenant.id, before.encrypt('EAAA-square')]);

    const rotated = loadConfig({ SWITCHBOARD_SECRET_KEY: newKey, SWITCHBOARD_SECRET_KEY_VERSION: 'v2', SWITCHBOARD_PREVIOUS_SECRET_KEYS: `v1:${oldKey}` });
    const box = secretBoxFromConfig(rotated);
    const stored = await getChannel(tenantEm(orm, tenant.id), channel.id, { credentials: true });
    expect(JSON.parse(box.decrypt(stored!.credentialsEncrypted!))).toEqual(credentials); // the old key still decrypts
    expect(box.encrypt('x')).toMatch(/^v2:/);

    expect(await rekeySecrets(systemEm(orm), box, 'v2')).toEqual({ channels: 1, webhookSecrets: 1, tenantSecrets: 2, posTokens: 1 });
    expect(await rekeySecrets(systemEm(orm), box, 'v2')).toEqual({ channels: 0, webhookSecrets: 0, tenantSecrets: 0, posTokens: 0 });

    // Only the new key is needed now.
    const newOnly = createSecretBox({ v2: newKey });
    const after = await getChannel(tenantEm(orm, tenant.id), channel.id, { credentials: true });
    expect(after!.credentialsEncrypted).toMatch(/^v2:/);
    expect(JSON.parse(newOnly.decrypt(after!.credentialsEncrypted!))).toEqual(credentials);
    const [{ settings }] = await orm.em.fork().getConnection().execute(`select settings from tenants where id = ?`, [tenant.id]);
    expect(newOnly.decrypt(settings.llm.apiKeyEncrypted)).toBe('sk-llm');
    expect(newOnly.decrypt(settings.llm.fallbacks[0].apiKeyEncrypted)).toBe('sk-fallback');
    const [{ token }] = await orm.em.fork().getConnection().execute(`select access_token_encrypted as token from menu_pos_connections where tenant_id = ?`, [tenant.id]);
    expect(newOnly.decrypt(token)).toBe('EAAA-square');
    expect(newOnly.decrypt((await getWebhookSubscription(tenantEm(orm, tenant.id), hook.id, { secret: true }))!.secretEncrypted)).toBe('whsec_test');
    expect(() => createSecretBox({ v1: oldKey }).decrypt(after!.credentialsEncrypted!)).toThrow(/no key for secret version v2/);
  });
});
