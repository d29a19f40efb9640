import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import { twilioAdapter as buildTwilioAdapter, twilioCredentialsSchema, twilioSettingsSchema, type TwilioCredentials, type TwilioSettings } from '../../channels/twilio/adapter';
import { parseRetryAfter } from '../../channels/twilio/client';
import { isValidTwilioSignature, twilioSignature } from '../../channels/twilio/signature';
import { ProviderError, type ChannelConfig, type InboundEvent, type InboundRequest, type SendContext } from '../../channels/types';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { adapterEnv } from '../../channels/registry';
import { loadConfig } from '../../core/config';

// The test setup's operator allow-list (vitest.config.ts) lets the adapter reach the local fakes.
const twilioAdapter = buildTwilioAdapter(adapterEnv(loadConfig({ OUTBOUND_ALLOWED_PRIVATE: process.env.OUTBOUND_ALLOWED_PRIVATE })));

const sid = `AC${randomBytes(16).toString('hex')}`;
const token = randomBytes(16).toString('hex');
let twilio: FakeTwilio;
let hook: Server;
let hookUrl: string;
/** What the little webhook endpoint below saw: the adapter's verdict on each post. */
const verdicts: { status: number; events?: InboundEvent[]; error?: AppError }[] = [];

const channel = (settings: Partial<TwilioSettings> = {}, credentials: Partial<TwilioCredentials> = {}): ChannelConfig<TwilioCredentials, TwilioSettings> => ({
  id: 'ch-sms',
  tenantId: 't1',
  type: 'sms',
  name: 'SMS',
  credentials: { accountSid: sid, authToken: token, ...credentials },
  settings: { fromNumber: '+15005550006', apiBaseUrl: twilio.url, ...settings },
  webhookUrl: hookUrl,
});

const context = (over: Partial<SendContext> = {}): SendContext => ({
  idempotencyKey: `key-${randomBytes(4).toString('hex')}`,
  contactAddress: '+14155550123',
  thread: {},
  lastInboundAt: null,
  ...over,
});

const formRequest = (url: string, params: Record<string, string>, signature?: string): InboundRequest => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
  query: {},
  rawBody: Buffer.from(new URLSearchParams(params).toString()),
});

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError');
}

beforeAll(async () => {
  twilio = await startFakeTwilio({ accounts: { [sid]: token } });
  // A minimal webhook endpoint: what the platform's route does with an adapter, nothing more.
  hook = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request: InboundRequest = {
      method: req.method as 'POST',
      url: hookUrl + (req.url!.includes('?') ? req.url!.slice(req.url!.indexOf('?')) : ''),
      headers: req.headers as Record<string, string>,
      query: {},
      rawBody: Buffer.concat(chunks),
    };
    try {
      twilioAdapter.verify(request, channel());
      const events = (await twilioAdapter.parse(request, channel())) as InboundEvent[];
      verdicts.push({ status: 200, events });
      res.writeHead(200, { 'content-type': twilioAdapter.ack!.contentType }).end(twilioAdapter.ack!.body);
    } catch (err) {
      const e = err as AppError;
      verdicts.push({ status: e.status, error: e });
      res.writeHead(e.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.toJSON() }));
    }
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/v1/webhooks/sms/ch-sms`;
});

afterAll(async () => {
  await twilio.close();
  hook.closeAllConnections();
  await new Promise((r) => hook.close(r));
});

describe('Twilio signatures', () => {
  // The worked example in Twilio's "Webhooks security" guide.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
  const documented = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

  it("matches the documented example and refuses any change to it", () => {
    expect(twilioSignature('12345', url, params)).toBe(documented);
    expect(isValidTwilioSignature('12345', documented, url, params)).toBe(true);
    expect(isValidTwilioSignature('12345', documented, url, { ...params, Digits: '9999' })).toBe(false);
    expect(isValidTwilioSignature('12345', documented, 'https://mycompany.com/myapp.php?foo=1&bar=3', params)).toBe(false);
    expect(isValidTwilioSignature('54321', documented, url, params)).toBe(false);
    expect(isValidTwilioSignature('12345', documented.slice(0, -1), url, params)).toBe(false);
    expect(isValidTwilioSignature('12345', undefined, url, params)).toBe(false);
  });

  it('verifies the example as a form post whose fields arrive in any order', () => {
    const shuffled = { To: params.To, Digits: params.Digits, CallSid: params.CallSid, From: params.From, Caller: params.Caller };
    const ch = { ...channel(), credentials: { accountSid: sid, authToken: '12345' }, webhookUrl: 'https://mycompany.com/myapp.php' };
    expect(() => twilioAdapter.verify(formRequest(url, shuffled, documented), ch)).not.toThrow();
    // Behind a proxy the request URL has the internal host; the channel's webhook URL plus the query is what Twilio signed.
    expect(() => twilioAdapter.verify(formRequest('http://10.0.0.5:3000/myapp.php?foo=1&bar=2', shuffled, documented), ch)).not.toThrow();
    expect(thrown(() => twilioAdapter.verify(formRequest(url, { ...shuffled, Digits: '1' }, documented), ch))).toMatchObject({ code: 'forbidden', status: 403 });
    expect(thrown(() => twilioAdapter.verify(formRequest(url, shuffled), ch))).toMatchObject({ code: 'unauthorized', field: 'x-twilio-signature' });
  });

  it('accepts what the fake signs and answers empty TwiML; refuses a forged signature', async () => {
    const ok = await twilio.sendInbound(hookUrl, token, { From: '+14155550123', To: '+15005550006', Body: 'Hello' });
    expect(ok).toEqual({ status: 200, contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' });
    const forged = await twilio.sendInbound(hookUrl, token, { From: '+14155550123', Body: 'Hello' }, { signature: twilioSignature(randomBytes(16).toString('hex'), hookUrl, {}) });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body).error).toMatchObject({ code: 'forbidden', field: 'x-twilio-signature' });
  });
});

describe('Twilio inbound parsing', () => {
  it('turns an MMS into a message with remote media and the contact phone', async () => {
    verdicts.length = 0;
    const res = await twilio.sendInbound(hookUrl, token, {
      MessageSid: 'SM0123456789abcdef0123456789abcdef',
      From: '+14155550123',
      To: '+15005550006',
      Body: 'Here is the receipt',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
      MediaContentType1: 'application/pdf',
    });
    expect(res.status).toBe(200);
    expect(verdicts[0].events).toEqual([
      {
        kind: 'message',
        externalId: 'SM0123456789abcdef0123456789abcdef',
        contactAddress: '+14155550123',
        message: {
          channel: 'sms',
          externalId: 'SM0123456789abcdef0123456789abcdef',
          text: 'Here is the receipt',
          contact: { phone: '+14155550123', externalId: '+14155550123' },
          attachments: [
            { kind: 'remote', ref: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' },
            { kind: 'remote', ref: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2', contentType: 'application/pdf' },
          ],
        },
        metadata: { kind: 'image', mediaType: 'image', to: '+15005550006' },
      },
    ]);
  });

  it('maps status callbacks to status events and ignores the in-between states', async () => {
    const sent = await twilioAdapter.send(channel(), { text: 'Your table is ready' }, context());
    verdicts.length = 0;
    for (const status of ['queued', 'sent', 'delivered']) expect((await twilio.sendStatus(sent.providerMessageId, status)).status).toBe(200);
    expect((await twilio.sendStatus(sent.providerMessageId, 'undelivered', { errorCode: '30003' })).status).toBe(200);
    expect(verdicts.map((v) => v.events)).toEqual([
      [],
      [{ kind: 'status', externalId: sent.providerMessageId, status: 'sent' }],
      [{ kind: 'status', externalId: sent.providerMessageId, status: 'delivered' }],
      [{ kind: 'status', externalId: sent.providerMessageId, status: 'failed', error: 'Twilio error 30003: unreachable destination handset' }],
    ]);
  });

  it('names the field of a malformed payload', async () => {
    verdicts.length = 0;
    const noFrom = await twilio.sendInbound(hookUrl, token, { Body: 'x', From: '' });
    expect(noFrom.status).toBe(400);
    expect(JSON.parse(noFrom.body).error).toEqual({ code: 'bad_request', message: 'From is missing', field: 'From' });
    const badMedia = await twilio.sendInbound(hookUrl, token, { From: '+14155550123', Body: '', NumMedia: '1' });
    expect(JSON.parse(badMedia.body).error).toMatchObject({ code: 'bad_request', field: 'MediaUrl0' });
    const badCount = await twilio.sendInbound(hookUrl, token, { From: '+14155550123', Body: '', NumMedia: 'lots' });
    expect(JSON.parse(badCount.body).error).toMatchObject({ field: 'NumMedia' });
    const plain: InboundRequest = { method: 'POST', url: hookUrl, headers: { 'content-type': 'text/plain' }, query: {}, rawBody: Buffer.from('{}') };
    await expect(async () => twilioAdapter.parse(plain, channel())).rejects.toMatchObject({ code: 'bad_request', field: 'content-type' });
    // JSON bodies (bodySHA256 webhooks) carry the same fields.
    const json: InboundRequest = { method: 'POST', url: hookUrl, headers: { 'content-type': 'application/json' }, query: {}, rawBody: Buffer.from('{}') };
    await expect(async () => twilioAdapter.parse(json, channel())).rejects.toMatchObject({ code: 'bad_request', field: 'MessageSid' });
    const noSid = formRequest(hookUrl, { From: '+14155550123', Body: 'hi' });
    await expect(async () => twilioAdapter.parse(noSid, channel())).rejects.toMatchObject({ field: 'MessageSid' });
  });
});

describe('Twilio sends', () => {
  it('posts the form Twilio expects, with basic auth and the status callback', async () => {
    const key = 'conv:t1:c1:0:3:reply:1';
    const result = await twilioAdapter.send(channel(), { text: 'Pick one', interactive: { type: 'buttons', options: [{ id: 'a', title: 'Today' }, { id: 'b', title: 'Tomorrow' }] } }, context({ idempotencyKey: key }));
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const req = twilio.requests.at(-1)!;
    expect(req.path).toBe(`/2010-04-01/Accounts/${sid}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`);
    // The Messages API documents no idempotency header: none is sent, so nothing relies on one.
    expect(req.headers['i-twilio-idempotency-token']).toBeUndefined();
    expect(req.form).toEqual({ To: '+14155550123', From: '+15005550006', Body: 'Pick one\n\n1. Today\n2. Tomorrow', StatusCallback: hookUrl });
  });

  it('finds the message an earlier attempt created when Twilio accepted it but the answer was lost', async () => {
    const to = `+1415555${String(Date.now()).slice(-4)}`;
    const since = new Date().toISOString();
    twilio.loseNextResponses(1);
    await expect(twilioAdapter.send(channel(), { text: 'Your table is booked' }, context({ contactAddress: to }))).rejects.toMatchObject({ retryable: true });
    const created = twilio.messages.filter((m) => m.to === to);
    expect(created).toHaveLength(1);

    const retry = await twilioAdapter.send(channel(), { text: 'Your table is booked' }, context({ contactAddress: to, retryingSince: since }));
    expect(retry).toEqual({ providerMessageId: created[0].sid, recovered: true });
    // Another text, or a first attempt, is a new message: Twilio (and its fake) do not deduplicate.
    expect((await twilioAdapter.send(channel(), { text: 'See you then' }, context({ contactAddress: to, retryingSince: since }))).recovered).toBeUndefined();
    expect((await twilioAdapter.send(channel(), { text: 'Your table is booked' }, context({ contactAddress: to }))).providerMessageId).not.toBe(created[0].sid);
    // A message from before the first attempt is not this send's.
    const later = new Date(Date.now() + 2_000).toISOString();
    expect((await twilioAdapter.send(channel(), { text: 'Your table is booked' }, context({ contactAddress: to, retryingSince: later }))).recovered).toBeUndefined();
    expect(twilio.messages.filter((m) => m.to === to)).toHaveLength(4);
  });

  it('sends from a messaging service, with media, and without callbacks when turned off', async () => {
    const mg = `MG${'a'.repeat(32)}`;
    await twilioAdapter.send(
      channel({ fromNumber: undefined, messagingServiceSid: mg, statusCallbacks: false }),
      { text: '', media: { url: 'https://cdn.example.com/menu.jpg', contentType: 'image/jpeg', caption: 'Our menu' } },
      context(),
    );
    expect(twilio.requests.at(-1)!.form).toEqual({ To: '+14155550123', MessagingServiceSid: mg, Body: 'Our menu', MediaUrl: 'https://cdn.example.com/menu.jpg' });
  });

  it('retries 429 and 5xx with Retry-After, and gives up on numbers Twilio refuses', async () => {
    twilio.failNext({ status: 429, code: 20429, retryAfterSeconds: 2 }, { status: 503, code: 20503, message: 'Service unavailable' });
    const rateLimited = await rejection(twilioAdapter.send(channel(), { text: 'hi' }, context()));
    expect(rateLimited).toMatchObject({ retryable: true, opts: { status: 429, code: '20429', retryAfterMs: 2000 } });
    expect(await rejection(twilioAdapter.send(channel(), { text: 'hi' }, context()))).toMatchObject({ retryable: true, opts: { status: 503 } });

    for (const code of [21211, 21610, 21614]) {
      twilio.failNext({ status: 400, code, message: `refused ${code}` });
      const err = await rejection(twilioAdapter.send(channel(), { text: 'hi' }, context()));
      expect(err).toMatchObject({ retryable: false, opts: { status: 400, code: String(code) } });
      expect(err.message).toContain(`refused ${code}`);
    }
    const invalid = await rejection(twilioAdapter.send(channel(), { text: 'hi' }, context({ contactAddress: '0612' })));
    expect(invalid).toMatchObject({ retryable: false, opts: { code: '21211' } });
    const badToken = await rejection(twilioAdapter.send(channel({}, { authToken: 'f'.repeat(32) }), { text: 'hi' }, context()));
    expect(badToken).toMatchObject({ retryable: false, opts: { status: 401, code: '20003' } });
  });

  it('treats an unreachable API as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await rejection(twilioAdapter.send(channel({ apiBaseUrl: `http://127.0.0.1:${port}` }), { text: 'hi' }, context()));
    expect(err.retryable).toBe(true);
  });

  it('clips bodies to the 1600 characters Twilio accepts', async () => {
    await twilioAdapter.send(channel(), { text: 'é'.repeat(2000) }, context());
    const body = twilio.requests.at(-1)!.form.Body as string;
    expect([...body].length).toBe(1600);
    expect(body.endsWith('…')).toBe(true);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('Twilio account and media', () => {
  it('tests the connection with the Account resource', async () => {
    expect(await twilioAdapter.testConnection(channel())).toEqual({ ok: true, detail: 'Twilio account "Test account" is active' });
    const bad = await twilioAdapter.testConnection(channel({}, { authToken: '0'.repeat(32) }));
    expect(bad.ok).toBe(false);
    expect(bad.detail).toContain('20003');
    expect(bad.detail).not.toContain('0'.repeat(32));
  });

  it('downloads inbound media with the account credentials', async () => {
    const url = twilio.addMedia(sid, Buffer.from('JPEGDATA'), 'image/jpeg');
    const limits = { maxBytes: 1024 };
    expect(await twilioAdapter.fetchMedia!(channel(), url, limits)).toEqual({ data: Buffer.from('JPEGDATA'), contentType: 'image/jpeg' });
    await expect(twilioAdapter.fetchMedia!(channel({}, { authToken: '1'.repeat(32) }), url, limits)).rejects.toMatchObject({ retryable: false, opts: { status: 401 } });
  });

  it('refuses media past the size limit for good instead of buffering it', async () => {
    const url = twilio.addMedia(sid, Buffer.alloc(4096, 1), 'video/mp4');
    await expect(twilioAdapter.fetchMedia!(channel(), url, { maxBytes: 4095 })).rejects.toMatchObject({ retryable: false, opts: { code: 'too_large' } });
    expect((await twilioAdapter.fetchMedia!(channel(), url, { maxBytes: 4096 })).data).toHaveLength(4096);
  });

  it('validates credentials and settings', () => {
    expect(twilioCredentialsSchema.safeParse({ accountSid: sid, authToken: token }).success).toBe(true);
    const badSid = twilioCredentialsSchema.safeParse({ accountSid: 'XX123', authToken: token });
    expect(badSid.success).toBe(false);
    expect(badSid.error!.issues[0].path).toEqual(['accountSid']);
    expect(twilioSettingsSchema.safeParse({ fromNumber: '+14155550100', sendRatePerSecond: 1 }).success).toBe(true);
    expect(twilioSettingsSchema.safeParse({ fromNumber: '0612345678' }).error!.issues[0].path).toEqual(['fromNumber']);
    const none = twilioSettingsSchema.safeParse({});
    expect(none.error!.issues[0]).toMatchObject({ path: ['fromNumber'], message: 'set fromNumber (E.164) or messagingServiceSid' });
  });
});
