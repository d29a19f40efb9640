/**
 * A tenant names Twilio's API base URL per channel; the server calls it with the credentials and
 * "test connection" reports the answer, so only https://*.twilio.com is accepted unless the
 * deployment allows an origin (CHANNEL_PROVIDER_URLS_ALLOWED; the bench allows the local fakes).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerUrlAllowed } from '../../channels/provider-urls';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
let bench: ChannelBench;
let twilio: FakeTwilio;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  bench = await startChannelBench();
});
afterAll(async () => {
  await bench?.close();
  await twilio?.close();
});

const create = (settings: Record<string, unknown>, credentials: Record<string, unknown> = {}) =>
  bench.stack.request('POST', '/v1/channels', { apiKey: bench.apiKey, body: { type: 'sms', name: 'sms', credentials: { accountSid: ACCOUNT, authToken: TOKEN, ...credentials }, settings: { fromNumber: '+15005550006', ...settings } } });

describe('Twilio base URLs', () => {
  it('refuses any host but Twilio’s, naming the field', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'https://internal.example', 'https://api.twilio.com.evil.example', 'http://api.twilio.com', 'https://user:pw@api.twilio.com']) {
      const res = await create({ apiBaseUrl: url });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'settings.apiBaseUrl' });
    }
    const viaCredentials = await create({}, { apiBaseUrl: 'http://10.0.0.1:8080' });
    expect(viaCredentials.status).toBe(400);
    expect(viaCredentials.body.error.field).toBe('credentials.apiBaseUrl');
  });

  it('accepts Twilio’s hosts and origins the deployment allows, and refuses them again on update', async () => {
    expect((await create({ apiBaseUrl: 'https://api.twilio.com' })).status).toBe(201);
    expect((await create({ apiBaseUrl: 'https://messaging.twilio.com/' })).status).toBe(201);
    const local = await create({ apiBaseUrl: twilio.url });
    expect(local.status).toBe(201);
    expect((await bench.stack.request('POST', `/v1/channels/${local.body.id}/test`, { apiKey: bench.apiKey })).body).toMatchObject({ ok: true });

    const patch = (body: unknown) => bench.stack.request('PATCH', `/v1/channels/${local.body.id}`, { apiKey: bench.apiKey, body });
    expect((await patch({ settings: { fromNumber: '+15005550006', apiBaseUrl: 'http://127.0.0.2:80' } })).body.error).toMatchObject({ field: 'settings.apiBaseUrl' });
    expect((await patch({ credentials: { apiBaseUrl: 'https://metadata.google.internal' } })).body.error).toMatchObject({ field: 'credentials.apiBaseUrl' });
  });

  it('matches allowed origins by scheme, host and port', () => {
    expect(providerUrlAllowed('https://api.twilio.com', 'twilio.com', [])).toBe(true);
    expect(providerUrlAllowed('http://127.0.0.1:4010', 'twilio.com', [])).toBe(false);
    expect(providerUrlAllowed('http://127.0.0.1:4010', 'twilio.com', ['http://127.0.0.1:*'])).toBe(true);
    expect(providerUrlAllowed('http://127.0.0.1:4010', 'twilio.com', ['http://127.0.0.1:4011'])).toBe(false);
    expect(providerUrlAllowed('https://127.0.0.1:4010', 'twilio.com', ['http://127.0.0.1:*'])).toBe(false);
    expect(providerUrlAllowed('http://fakes.test/', 'twilio.com', ['http://fakes.test'])).toBe(true);
    expect(providerUrlAllowed('not a url', 'twilio.com', ['*'])).toBe(false);
  });
});
