/**
 * SMS end to end on the real stack: webhooks signed like Twilio's → API → inbound log → worker →
 * conversation workflow → sendChannelMessage → the fake Twilio Messages API, and status callbacks
 * back onto the stored messages.
 */
import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendActivities } from '../../activities/channels/send';
import { sharedServers } from '../support/shared-servers';
import { twilioSignature } from '../../channels/twilio/signature';
import { startChannelBench, transcript, type ChannelBench } from '../channels/support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { waitUntil } from '../support/wait';
import { waitForQuiescence } from '../support/quiescence';

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const FROM = '+15005550006';
let bench: ChannelBench;
let twilio: FakeTwilio;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  bench = await startChannelBench();
  channel = await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: FROM, apiBaseUrl: twilio.url } });
});
afterAll(async () => {
  await bench?.close();
  await twilio?.close();
});

let phones = 0;
const newPhone = () => `+1555${String(Date.now()).slice(-5)}${String(++phones).padStart(2, '0')}`;
const inbound = (fields: Record<string, string>, opts?: { signature?: string }) => twilio.sendInbound(channel.webhookUrl, TOKEN, { To: FROM, ...fields }, opts);
const sentTo = (phone: string) => twilio.messages.filter((m) => m.to === phone);
const inboundCount = async () => Number((await bench.rows(`select count(*) from inbound_messages where channel_id = $1`, [channel.id]))[0].count);
const statusOf = async (sid: string) => (await bench.rows(`select status, error from messages where external_id = $1`, [sid]))[0];

async function waitForReplies(phone: string, count: number) {
  await waitUntil(() => sentTo(phone).length >= count, 20_000, `${count} SMS to ${phone}`);
  return sentTo(phone).map((m) => m.body);
}

describe('SMS through Twilio', () => {
  it('runs the flow: an SMS in, the reply out through the Messages API, delivery reports on the message', async () => {
    const phone = newPhone();
    const first = await inbound({ From: phone, Body: 'hi' });
    expect(first).toEqual({ status: 200, contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' });
    expect(await waitForReplies(phone, 1)).toEqual(['Hello! What is your name?']);
    await inbound({ From: phone, Body: 'Ada' });
    expect(await waitForReplies(phone, 2)).toEqual(['Hello! What is your name?', 'Nice to meet you, Ada!']);

    const [question, greeting] = sentTo(phone);
    expect(question).toMatchObject({ from: FROM, statusCallback: channel.webhookUrl });
    const request = twilio.requests.find((r) => r.form.To === phone)!;
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);

    const conversations = await bench.rows(`select distinct conversation_id from messages m join conversations c on c.id = m.conversation_id where c.channel_id = $1 and c.thread_key = $2`, [channel.id, phone]);
    expect(conversations).toHaveLength(1);

    await waitUntil(async () => (await statusOf(greeting.sid))?.status === 'sent', 10_000, 'greeting stored as sent');
    expect((await twilio.sendStatus(greeting.sid, 'delivered')).status).toBe(200);
    await waitUntil(async () => (await statusOf(greeting.sid))?.status === 'delivered', 10_000, 'delivered');
    expect((await twilio.sendStatus(question.sid, 'undelivered', { errorCode: '30003' })).status).toBe(200);
    await waitUntil(async () => (await statusOf(question.sid))?.status === 'failed', 10_000, 'undelivered');
    expect((await statusOf(question.sid)).error).toBe('Twilio error 30003: unreachable destination handset');
  });

  it('refuses a bad or missing signature (403/401) and records nothing', async () => {
    const before = await inboundCount();
    const fields = { From: newPhone(), Body: 'forged' };
    const forged = await inbound(fields, { signature: twilioSignature(randomBytes(16).toString('hex'), channel.webhookUrl, fields) });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body).error).toMatchObject({ code: 'forbidden', field: 'x-twilio-signature' });
    const unsigned = await fetch(channel.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    expect(unsigned.status).toBe(401);
    // Signed for another URL (another channel): Twilio signs the URL, so it does not verify here.
    const elsewhere = await inbound(fields, { signature: twilioSignature(TOKEN, `${channel.webhookUrl}x`, { ...fields, To: FROM }) });
    expect(elsewhere.status).toBe(403);
    expect(await inboundCount()).toBe(before);
  });

  it('answers a malformed payload with 400 and the reason', async () => {
    const before = await inboundCount();
    const noFrom = await inbound({ From: '', Body: 'who am I' });
    expect(noFrom.status).toBe(400);
    expect(JSON.parse(noFrom.body).error).toEqual({ code: 'bad_request', message: 'From is missing', field: 'From' });
    const badMedia = await inbound({ From: newPhone(), Body: '', NumMedia: '2', MediaUrl0: 'https://api.twilio.com/x' });
    expect(badMedia.status).toBe(400);
    expect(JSON.parse(badMedia.body).error).toMatchObject({ field: 'MediaUrl1', message: 'MediaUrl1 is missing or not a URL' });
    expect(await inboundCount()).toBe(before);
  });

  it('makes one turn of a webhook delivered three times', async () => {
    const phone = newPhone();
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const results = await Promise.all([1, 2, 3].map(() => inbound({ From: phone, Body: 'hello there', MessageSid: sid })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitForReplies(phone, 1);
    expect(await bench.rows(`select id from inbound_messages where external_id = $1`, [sid])).toHaveLength(1);
    await inbound({ From: phone, Body: 'hello there', MessageSid: sid });
    await waitForQuiescence(bench.stack);
    const turns = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in' && m.external_id === sid);
    expect(turns).toHaveLength(1);
    expect(sentTo(phone)).toHaveLength(1);
  });

  it('retries a 429 after Retry-After and sends exactly once; an unsubscribed number fails without retrying', async () => {
    const phone = newPhone();
    twilio.failNext({ status: 429, code: 20429, retryAfterSeconds: 1 }, { status: 429, code: 20429, retryAfterSeconds: 1 });
    await inbound({ From: phone, Body: 'hi' });
    await waitForReplies(phone, 1);
    const attempts = twilio.requests.filter((r) => r.method === 'POST' && r.form.To === phone);
    expect(attempts).toHaveLength(3);
    expect(sentTo(phone)).toHaveLength(1);

    const stopped = newPhone();
    twilio.failNext({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await inbound({ From: stopped, Body: 'hi' });
    const failedReply = async () =>
      (await bench.rows(`select m.status, m.error from messages m join conversations c on c.id = m.conversation_id where c.channel_id = $1 and c.thread_key = $2 and m.direction = 'out'`, [channel.id, stopped]))[0];
    await waitUntil(async () => (await failedReply())?.status === 'failed', 20_000, 'reply marked failed');
    expect((await failedReply()).error).toContain('21610');
    await waitForQuiescence(bench.stack);
    expect(twilio.requests.filter((r) => r.method === 'POST' && r.form.To === stopped)).toHaveLength(1);
  });

  it('sends once when Twilio accepted a message but the answer was lost: the retry finds it instead of sending again', async () => {
    const phone = newPhone();
    twilio.loseNextResponses(1);
    await inbound({ From: phone, Body: 'hi' });
    const stored = async () => (await bench.rows(`select m.status, m.external_id from messages m join conversations c on c.id = m.conversation_id where c.channel_id = $1 and c.thread_key = $2 and m.direction = 'out'`, [channel.id, phone]))[0];
    await waitUntil(async () => (await stored())?.status === 'sent', 20_000, 'reply stored as sent');
    expect(sentTo(phone)).toHaveLength(1);
    expect((await stored()).external_id).toBe(sentTo(phone)[0].sid);
    // The retry asked Twilio for the contact's recent messages rather than posting again.
    expect(twilio.requests.filter((r) => r.method === 'POST' && r.form.To === phone)).toHaveLength(1);
    expect(twilio.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Messages.json'))).toBe(true);
  });

  it('does not take a message another reply already owns for the one a retry is looking for', async () => {
    const phone = newPhone();
    const since = Date.now() - 1_000;
    await inbound({ From: phone, Body: 'hi' });
    await waitForReplies(phone, 1);
    await waitUntil(async () => (await statusOf(sentTo(phone)[0].sid))?.status === 'sent', 10_000, 'first reply stored');
    const [owner] = await bench.rows(
      `select m.tenant_id, m.conversation_id, c.workflow_id, m.author, m.text, m.external_id from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'out'`,
      [phone],
    );
    // A second reply with the same text, retried: Twilio's list shows the first reply, which is not this one.
    const key = `test:${randomBytes(6).toString('hex')}`;
    await bench.rows(`insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key) values ($1, $2, 'out', $3, $4, $5)`, [owner.tenant_id, owner.conversation_id, owner.author, owner.text, key]);
    const redis = new Redis(sharedServers().redisUrl);
    try {
      const { sendChannelMessage } = sendActivities({ orm: bench.stack.orm, redis, config: bench.stack.config } as Parameters<typeof sendActivities>[0]);
      const input = { tenantId: owner.tenant_id, conversationId: owner.conversation_id, workflowId: owner.workflow_id, channel: 'sms' as const, key };
      const result = (await new MockActivityEnvironment({ attempt: 2, scheduledTimestampMs: since, startToCloseTimeoutMs: 30_000 }).run(sendChannelMessage, input)) as { providerMessageId?: string };
      expect(sentTo(phone)).toHaveLength(2);
      expect(result.providerMessageId).toBe(sentTo(phone)[1].sid);
      expect(owner.external_id).toBe(sentTo(phone)[0].sid);
    } finally {
      redis.disconnect();
    }
  });

  it('downloads MMS media with the account credentials and stores it', async () => {
    const phone = newPhone();
    const bytes = Buffer.from('\x89PNG fake image bytes', 'latin1');
    const url = twilio.addMedia(ACCOUNT, bytes, 'image/png');
    await inbound({ From: phone, Body: 'my receipt', NumMedia: '1', MediaUrl0: url, MediaContentType0: 'image/png' });
    await waitForReplies(phone, 1);
    // The file downloads after the turn.
    await waitUntil(async () => (await bench.rows(`select 1 from media_assets where ref = $1`, [url])).length === 1, 20_000, 'the file stored');
    const [asset] = await bench.rows(`select id, content, content_type, byte_size from media_assets where ref = $1`, [url]);
    expect(asset).toMatchObject({ content_type: 'image/png', byte_size: bytes.length });
    expect(Buffer.compare(asset.content, bytes)).toBe(0);
    const download = twilio.requests.find((r) => r.method === 'GET' && url.endsWith(r.path))!;
    expect(download.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
  });
});
