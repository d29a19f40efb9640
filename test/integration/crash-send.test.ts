/**
 * Durability of a channel send: the worker process dies (SIGKILL) while Twilio holds the reply's
 * request; Twilio then accepts it (the answer has no one to go to) or never gets it. The retried
 * send on a new worker finds the accepted message instead of posting again, or posts it: either
 * way one SMS reaches the contact, and the stored reply carries its id.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { startCrashBench, type CrashBench } from '../support/crash-bench';
import { forwardTo, startHoldServer, type HoldServer, type ReceivedRequest } from '../support/hold-server';
import { waitForQuiescence } from '../support/quiescence';
import { storedMessageCounts } from '../support/stored-messages';
import { waitUntil } from '../support/wait';

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const FROM = '+15005550006';
let bench: CrashBench;
let twilio: FakeTwilio;
let provider: HoldServer;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  provider = await startHoldServer(forwardTo(twilio.url));
  bench = await startCrashBench();
  channel = await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: FROM, apiBaseUrl: provider.url } });
}, 120_000);
const sentTo = (phone: string) => twilio.messages.filter((m) => m.to === phone);
afterEach(async () => bench?.killWorkers());
afterAll(async () => {
  await provider?.release();
  await bench?.close();
  await provider?.close();
  await twilio?.close();
});

/**
 * The contact writes; the reply's send is held at Twilio, its worker killed, and the held request
 * then accepted (`release`) or lost (`drop`); a new worker finishes the turn. Returns the phone and
 * the sends of its reply that reached the proxy in front of Twilio.
 */
async function sendHeldWhileWorkerDies(settle: 'release' | 'drop') {
  const first = await bench.startWorker();
  const phone = `+1555${String(Date.now()).slice(-7)}`;
  const isSend = (r: ReceivedRequest) => r.method === 'POST' && r.path.endsWith('/Messages.json') && new URLSearchParams(r.body.toString()).get('To') === phone;
  provider.holdNext(isSend);
  await twilio.sendInbound(channel.webhookUrl, TOKEN, { To: FROM, From: phone, Body: 'hi' });
  await waitUntil(() => provider.held() === 1, 90_000, 'the send to reach Twilio');
  const reply = async () => (await bench.rows(`select m.status, m.external_id from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'out'`, [phone]))[0];
  expect(await reply()).toEqual({ status: null, external_id: null });

  await first.kill('SIGKILL');
  if (settle === 'release') await provider.release();
  else provider.drop();
  expect(sentTo(phone)).toHaveLength(settle === 'release' ? 1 : 0);

  await bench.startWorker();
  // The attempt on the dead worker times out (30 s) before the retry runs.
  await waitUntil(async () => (await reply())?.status === 'sent', 150_000, 'the reply to be stored as sent');
  await waitForQuiescence(bench.stack, { tenantId: bench.tenantId, timeoutMs: 120_000 });

  // One SMS, stored once with its id, after one turn.
  expect(sentTo(phone)).toHaveLength(1);
  const [conversation] = await bench.rows<{ id: string }>(`select id from conversations where channel_id = $1 and thread_key = $2`, [channel.id, phone]);
  const stored = await storedMessageCounts(bench.stack.orm, { conversationIds: [conversation.id] });
  expect(stored.map((m) => `${m.author}:${m.text}:${m.count}`)).toEqual(['contact:hi:1', 'bot:Hello! What is your name?:1']);
  expect(stored[1].externalId).toBe(sentTo(phone)[0].sid);
  return provider.requests.filter(isSend);
}

it('sends one SMS when the worker died while Twilio held the request it then accepted', async () => {
  // The retry found the accepted message instead of posting again.
  expect(await sendHeldWhileWorkerDies('release')).toHaveLength(1);
  expect(provider.requests.some((r) => r.method === 'GET' && r.path.includes('/Messages.json'))).toBe(true);
}, 300_000);

it('sends one SMS when the worker died while Twilio held a request it then lost', async () => {
  // The retry found nothing and posted again.
  expect(await sendHeldWhileWorkerDies('drop')).toHaveLength(2);
}, 300_000);
