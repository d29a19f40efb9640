/**
 * Redis killed under the channels: webhook intake keeps answering (the message is in PostgreSQL
 * before Redis is asked), and when a Redis comes back — empty, as one without persistence does —
 * the dispatcher catches up: every message held meanwhile becomes exactly one turn and one reply.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelBench, transcript, type ChannelBench } from '../channels/support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { freePort } from '../support/ports';
import { echoFlow } from '../support/flows';
import { waitUntil } from '../support/wait';
import { ChatClient } from '../support/ws';

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const FROM = '+15005550006';

/** A Redis of this test's own, without persistence, so killing it loses everything it held. */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitUntil(
    () =>
      new Promise<boolean>((done) => {
        const probe = createServer();
        // The port is taken once Redis listens.
        probe.once('error', () => done(true)).listen(port, '127.0.0.1', () => probe.close(() => done(false)));
      }),
    10_000,
    `redis-server on ${port}`,
  );
  return proc;
}

let redisPort: number;
let redis: ChildProcess;
let twilio: FakeTwilio;
let bench: ChannelBench;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  bench = await startChannelBench({}, { redisUrl: `redis://127.0.0.1:${redisPort}` });
  channel = await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: FROM, apiBaseUrl: twilio.url } });
});
afterAll(async () => {
  // Close the bench while its Redis is up, so no client waits forever on a dead one.
  await bench?.close();
  await twilio?.close();
  redis?.kill('SIGKILL');
});

const phone = (n: number) => `+1555${String(Date.now()).slice(-5)}${String(n).padStart(2, '0')}`;
const sms = (from: string, body: string) => twilio.sendInbound(channel.webhookUrl, TOKEN, { To: FROM, From: from, Body: body });
const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to);

describe('Redis outage', () => {
  it('keeps taking webhooks while Redis is down, and answers each exactly once when it is back', async () => {
    const before = phone(0);
    expect((await sms(before, 'hi')).status).toBe(200);
    await waitUntil(() => sentTo(before).length === 1, 30_000, 'the reply before the outage');

    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
    const during = [1, 2, 3].map(phone);
    for (const from of during) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no webhook answer within 5 s while Redis is down')), 5_000)));
      const answer = await Promise.race([sms(from, 'hi'), late]).finally(() => clearTimeout(timer));
      expect(answer.status).toBe(200);
    }
    const held = await bench.rows<{ count: string }>(`select count(*) from inbound_messages where channel_id = $1`, [channel.id]);
    expect(Number(held[0].count)).toBe(4);

    // Down longer than the sweeper's re-queue, so its attempts fail too before Redis returns.
    await new Promise((r) => setTimeout(r, 5_000));
    redis = await startRedis(redisPort);
    await waitUntil(() => during.every((from) => sentTo(from).length >= 1), 90_000, 'a reply to every message taken during the outage');
    // Longer than the sweeper's re-queue (3 s here): a duplicate dispatch would show by now.
    await new Promise((r) => setTimeout(r, 6_000));
    for (const from of [before, ...during]) expect(sentTo(from).map((m) => m.body)).toEqual(['Hello! What is your name?']);
    const rows = await transcript(bench, channel.id);
    const contact = rows.filter((r) => r.direction === 'in');
    expect(contact).toHaveLength(4);
    expect(new Set(contact.map((r) => r.conversation_id)).size).toBe(4);
  }, 180_000);

  it('resumes a live chat socket opened before Redis died: the replies of a turn after it returns reach it', async () => {
    const { stack, apiKey } = bench;
    const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Echo', graph: echoFlow } });
    await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
    const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId: flow.body.id } });
    const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(session.body.token)}`);
    try {
      await chat.waitFor((f) => f.type === 'history');
      chat.send({ text: 'before', clientId: 'before-0001' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'Ready.', 30_000);

      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      await new Promise((r) => setTimeout(r, 2_000));
      redis = await startRedis(redisPort);
      // The socket stayed open; its subscription must come back with the connection.
      await waitUntil(async () => (await stack.request('GET', '/health')).status === 200, 30_000, 'the API to be healthy');
      chat.send({ text: 'after', clientId: 'after-00001' });
      // Live if the subscription was back in time, else in the catch-up history after it: never missing.
      await waitUntil(() => chat.messages().some((m) => m.text === 'Echo: after'), 60_000, 'the reply on the socket opened before the outage');
      expect(chat.messages().filter((m) => m.author === 'contact').map((m) => m.text)).toEqual(['before', 'after']);
      const late = phone(9);
      await sms(late, 'hi');
      await waitUntil(() => sentTo(late).length === 1, 60_000, 'the reply to an SMS after the second outage');
    } finally {
      chat.close();
    }
  }, 180_000);
});
