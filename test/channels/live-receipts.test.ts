/**
 * Delivery receipts reach an open inbox live: a WhatsApp status webhook (delivered, read, then
 * failed with the provider's reason), a Twilio status callback and a Messenger read watermark go
 * through the real routes, the inbound queue and the dispatcher, update the stored reply, and the
 * inbox WebSocket gets the reply again with its new `delivery` — the console redraws its
 * ✓/✓✓/failed mark from that frame. Another tenant's inbox hears nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { messengerRead, messengerText, whatsappStatus, whatsappText } from '../fakes/meta-webhooks';
import { signedIn } from '../console-api/support';
import { waitUntil } from '../support/wait';
import { startChannelBench, type ChannelBench } from './support';

const PHONE_ID = '106540352242977';
const PAGE_ID = '1477392262503977';
const SECRET = 'receipts-app-secret';
let bench: ChannelBench;
let hook: string;
let messengerHook: string;
const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
let twilio: FakeTwilio;
let sms: { id: string; webhookUrl: string };

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-receipts' });
  const channel = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-receipts', appSecret: SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID } });
  hook = `${bench.stack.url}/v1/webhooks/whatsapp/${channel.id}`;
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'page-receipts' });
  const page = await bench.channel('messenger', { credentials: { pageAccessToken: 'page-receipts', appSecret: SECRET, verifyToken: 'v' }, settings: { pageId: PAGE_ID, typingIndicators: false } });
  messengerHook = `${bench.stack.url}/v1/webhooks/messenger/${page.id}`;
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  sms = await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: '+15005550006', apiBaseUrl: twilio.url } });
});
afterAll(async () => {
  await bench?.close();
  await twilio?.close();
});

describe('live delivery receipts', () => {
  it('each status webhook pushes the reply with its new delivery state to the open inbox', async () => {
    const phone = `1555${String(Date.now()).slice(-7)}`;
    const post = (body: unknown) => bench.graph.post(hook, SECRET, body);
    expect((await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone, name: 'Grace' }, 'hi'))).status).toBe(200);
    await waitUntil(() => bench.graph.sent.some((m) => m.body.to === phone), 20_000, 'the reply sent');
    const wamid = bench.graph.sent.find((m) => m.body.to === phone)!.id;
    await waitUntil(async () => (await bench.rows(`select 1 from messages where external_id = $1`, [wamid])).length === 1, 10_000, 'the provider id stored');
    const [reply] = await bench.rows(`select id from messages where external_id = $1`, [wamid]);

    const agent = await signedIn(bench.stack, bench.apiKey, 'agent');
    const other = await bench.stack.createTenant();
    const outsider = await signedIn(bench.stack, other.apiKey, 'admin');
    const inbox = await agent.socket('/v1/inbox/live');
    const foreign = await outsider.socket('/v1/inbox/live');
    try {
      await Promise.all([inbox.waitFor((f) => f.type === 'ready'), foreign.waitFor((f) => f.type === 'ready')]);
      const deliveryFrame = (status: string) => inbox.waitFor((f) => f.type === 'message' && f.message.id === reply.id && f.message.delivery?.status === status, 15_000);

      expect((await post(whatsappStatus(PHONE_ID, wamid, 'delivered', phone))).status).toBe(200);
      expect((await deliveryFrame('delivered')).message.delivery).toEqual({ status: 'delivered', error: null });
      await post(whatsappStatus(PHONE_ID, wamid, 'read', phone));
      await deliveryFrame('read');
      await post(whatsappStatus(PHONE_ID, wamid, 'failed', phone, { code: 131047, title: 'Re-engagement message' }));
      const failed = await deliveryFrame('failed');
      expect(failed.message.delivery.error).toContain('131047');
      expect(failed).toMatchObject({ conversationId: expect.any(String), message: { id: reply.id, author: 'bot' } });
      expect(foreign.frames.filter((f) => f.type === 'message')).toEqual([]);
    } finally {
      inbox.close();
      foreign.close();
    }
  });

  it('a Twilio status callback (delivered, then undelivered with its error code) reaches the open inbox', async () => {
    const from = `+1555${String(Date.now()).slice(-7)}`;
    await twilio.sendInbound(sms.webhookUrl, TOKEN, { To: '+15005550006', From: from, Body: 'hi' });
    await waitUntil(() => twilio.messages.some((m) => m.to === from), 20_000, 'the SMS reply sent');
    const sid = twilio.messages.find((m) => m.to === from)!.sid;
    await waitUntil(async () => (await bench.rows(`select 1 from messages where external_id = $1`, [sid])).length === 1, 10_000, 'the message sid stored');
    const [reply] = await bench.rows(`select id from messages where external_id = $1`, [sid]);
    const inbox = await (await signedIn(bench.stack, bench.apiKey, 'agent')).socket('/v1/inbox/live');
    try {
      await inbox.waitFor((f) => f.type === 'ready');
      const deliveryFrame = (status: string) => inbox.waitFor((f) => f.type === 'message' && f.message.id === reply.id && f.message.delivery?.status === status, 15_000);
      expect((await twilio.sendStatus(sid, 'delivered')).status).toBeLessThan(300);
      await deliveryFrame('delivered');
      await twilio.sendStatus(sid, 'undelivered', { errorCode: '30003' });
      expect((await deliveryFrame('failed')).message.delivery.error).toContain('30003');
    } finally {
      inbox.close();
    }
  });

  it('a Messenger read watermark pushes every reply it marks read', async () => {
    const psid = `${Date.now()}977`;
    await bench.graph.post(messengerHook, SECRET, messengerText(PAGE_ID, psid, 'hi'));
    await waitUntil(() => bench.graph.sent.some((m) => m.body.recipient?.id === psid && m.body.message), 20_000, 'the reply sent');
    const sentReply = async () =>
      (await bench.rows(`select m.id from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'out' and m.status = 'sent'`, [psid]))[0];
    await waitUntil(async () => !!(await sentReply()), 10_000, 'the reply stored as sent');
    const reply = await sentReply();
    const inbox = await (await signedIn(bench.stack, bench.apiKey, 'viewer')).socket('/v1/inbox/live');
    try {
      await inbox.waitFor((f) => f.type === 'ready');
      await bench.graph.post(messengerHook, SECRET, messengerRead(PAGE_ID, psid, Date.now() + 1000));
      const frame = await inbox.waitFor((f) => f.type === 'message' && f.message.id === reply.id && f.message.delivery?.status === 'read', 15_000);
      expect(frame.message.delivery).toEqual({ status: 'read', error: null });
    } finally {
      inbox.close();
    }
  });
});
