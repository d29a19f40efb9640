/**
 * A channel send traced: an SMS in through the signed webhook, dispatched to its conversation, the
 * reply sent through the fake Twilio Messages API. The send is a `send sms` span under its activity,
 * with the provider's HTTP call under it; no span carries the phone number or the text.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { waitUntil } from '../support/wait';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const FROM = '+15005550006';
let bench: ChannelBench;
let twilio: FakeTwilio;
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  bench = await startChannelBench({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
}, 120_000);

afterAll(async () => {
  await bench?.close();
  await twilio?.close();
  await receiver?.close();
});

it('is a span under sendChannelMessage with the provider call under it, naming the channel type only', async () => {
  const channel = await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: FROM, apiBaseUrl: twilio.url } });
  const phone = `+1555${String(Date.now()).slice(-7)}`;
  expect((await twilio.sendInbound(channel.webhookUrl, TOKEN, { To: FROM, From: phone, Body: 'hi there' })).status).toBe(200);
  await waitUntil(() => twilio.messages.some((m) => m.to === phone), 20_000, 'the reply SMS');

  let send: ReceivedSpan | undefined;
  await waitUntil(async () => {
    await bench.stack.telemetry!.flush();
    send = receiver.spans.find((s) => s.name === 'send sms');
    // The activity's span ends (and is exported) after the send's: stored as sent, announced.
    return Boolean(send && receiver.spans.some((s) => s.parentSpanId === send!.spanId) && receiver.spans.some((s) => s.spanId === send!.parentSpanId));
  }, 20_000, 'the send span, its HTTP call and its activity');
  const byId = new Map(receiver.spans.map((s) => [s.spanId, s]));
  expect(byId.get(send!.parentSpanId!)?.name).toBe('RunActivity:sendChannelMessage');
  expect(send!.attributes).toEqual({ 'switchboard.channel': 'sms' });
  const http = receiver.spans.find((s) => s.parentSpanId === send!.spanId)!;
  expect(http).toMatchObject({ name: 'HTTP POST', attributes: { 'http.response.status_code': 201, 'server.address': '127.0.0.1' } });
  // The signed webhook is its own request span (its turn runs after the worker dispatches it).
  expect(receiver.spans.find((s) => s.name === 'POST /v1/webhooks/:type/:channelId')?.attributes['http.response.status_code']).toBe(200);

  const everything = JSON.stringify(receiver.spans);
  expect(everything).not.toContain(phone.slice(1));
  expect(everything).not.toContain('hi there');
  expect(everything).not.toContain(ACCOUNT);
});
