/** `/v1/channels` over HTTP: validation naming the field, credentials never returned, test connection against the fake Graph API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { llmOnlyFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/graph-api-server';
import pg from 'pg';

let stack: Stack;
let graph: FakeGraphApi;
let apiKey: string;
let flowId: string;

const whatsapp = (overrides: Record<string, unknown> = {}) => ({
  type: 'whatsapp',
  name: 'Front desk WhatsApp',
  credentials: { accessToken: 'EAAG-secret-token', appSecret: 'app-secret-value', verifyToken: 'verify-me' },
  settings: { phoneNumberId: '109876543210' },
  ...overrides,
});

beforeAll(async () => {
  graph = await startFakeGraphApi();
  graph.addWhatsAppNumber({ phoneNumberId: '109876543210', accessToken: 'EAAG-secret-token', displayPhoneNumber: '+1 555 0100' });
  stack = await startStack({ ...sharedServers(), worker: false, env: { META_GRAPH_URL: graph.url, PUBLIC_URL: 'https://switchboard.example.com' } });
  ({ apiKey } = await stack.createTenant());
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Bot', graph: llmOnlyFlow } });
  flowId = flow.body.id;
});

afterAll(async () => {
  await stack?.close();
  await graph?.close();
});

describe('/v1/channels', () => {
  it('creates a channel; no response ever carries a credential value', async () => {
    const created = await stack.request('POST', '/v1/channels', { apiKey, body: whatsapp({ flowId }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'whatsapp',
      flowId,
      settings: { phoneNumberId: '109876543210' },
      credentialFields: ['accessToken', 'appSecret', 'verifyToken'],
      webhookUrl: `https://switchboard.example.com/v1/webhooks/whatsapp/${created.body.id}`,
    });
    const id = created.body.id;
    const listed = await stack.request('GET', '/v1/channels', { apiKey });
    const got = await stack.request('GET', `/v1/channels/${id}`, { apiKey });
    const patched = await stack.request('PATCH', `/v1/channels/${id}`, { apiKey, body: { credentials: { accessToken: 'EAAG-rotated' } } });
    expect(patched.status).toBe(200);
    for (const body of [created.body, listed.body, got.body, patched.body]) {
      const text = JSON.stringify(body);
      for (const secret of ['EAAG-secret-token', 'EAAG-rotated', 'app-secret-value', 'verify-me']) expect(text).not.toContain(secret);
    }
    expect(listed.body.channels.map((c: any) => c.id)).toContain(id);

    // At rest: one AES-256-GCM blob, no plaintext.
    const client = new pg.Client({ connectionString: sharedServers().databaseUrl });
    await client.connect();
    const { rows } = await client.query('select credentials_encrypted from channels where id = $1', [id]);
    await client.end();
    expect(rows[0].credentials_encrypted).toMatch(/^v1:/);
    expect(rows[0].credentials_encrypted).not.toContain('EAAG');
  });

  it('names the failing field: body, credentials and settings', async () => {
    const missingSecret = await stack.request('POST', '/v1/channels', { apiKey, body: whatsapp({ credentials: { accessToken: 'x', verifyToken: 'v' } }) });
    expect(missingSecret.status).toBe(400);
    expect(missingSecret.body.error.field).toBe('credentials.appSecret');

    const badSetting = await stack.request('POST', '/v1/channels', { apiKey, body: whatsapp({ settings: { phoneNumberId: 'abc' } }) });
    expect(badSetting.status).toBe(400);
    expect(badSetting.body.error).toMatchObject({ field: 'settings.phoneNumberId' });
    expect(badSetting.body.error.message).toContain('phoneNumberId');

    const badType = await stack.request('POST', '/v1/channels', { apiKey, body: whatsapp({ type: 'telegram' }) });
    expect(badType.status).toBe(400);
    expect(badType.body.error.field).toBe('type');

    const badFlow = await stack.request('POST', '/v1/channels', { apiKey, body: whatsapp({ flowId: '00000000-0000-4000-8000-000000000000' }) });
    expect(badFlow.status).toBe(404);
    expect(badFlow.body.error.field).toBe('flowId');

    const badRate = await stack.request('POST', '/v1/channels', { apiKey, body: whatsapp({ settings: { phoneNumberId: '109876543210', sendRatePerSecond: -1 } }) });
    expect(badRate.body.error.field).toBe('settings.sendRatePerSecond');
  });

  it('tests the connection against the provider and reports a bad token without throwing', async () => {
    const created = await stack.request('POST', '/v1/channels', { apiKey, body: whatsapp() });
    const ok = await stack.request('POST', `/v1/channels/${created.body.id}/test`, { apiKey });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, detail: 'connected to +1 555 0100 (Harbor Dental)' });

    await stack.request('PATCH', `/v1/channels/${created.body.id}`, { apiKey, body: { credentials: { accessToken: 'wrong' } } });
    const bad = await stack.request('POST', `/v1/channels/${created.body.id}/test`, { apiKey });
    expect(bad.body.ok).toBe(false);
    expect(bad.body.detail).toMatch(/401.*190/);
  });

  it('scopes channels to the tenant and deletes them', async () => {
    const created = await stack.request('POST', '/v1/channels', { apiKey, body: whatsapp() });
    const other = await stack.createTenant();
    expect((await stack.request('GET', `/v1/channels/${created.body.id}`, { apiKey: other.apiKey })).status).toBe(404);
    expect((await stack.request('DELETE', `/v1/channels/${created.body.id}`, { apiKey: other.apiKey })).status).toBe(404);
    expect((await stack.request('DELETE', `/v1/channels/${created.body.id}`, { apiKey })).status).toBe(204);
    expect((await stack.request('GET', `/v1/channels/${created.body.id}`, { apiKey })).status).toBe(404);
  });
});
