/**
 * sendChannelMessage attempt by attempt (MockActivityEnvironment sets the attempt number and the
 * start-to-close timeout) against the fake Graph API: the last attempt marks the message failed
 * whatever ended it, and Messenger stores the message id before typing_off has answered.
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateKey } from '../../channels/rate-limit';
import { sendActivities } from '../../activities/channels/send';
import { SEND_MAX_ATTEMPTS } from '../../core/channels';
import { messengerText } from '../fakes/meta-webhooks';
import { sharedServers } from '../support/shared-servers';
import { waitUntil } from '../support/wait';
import { startChannelBench, type ChannelBench } from './support';

const PAGE_ID = '1477392262503381';
const SECRET = 'ms-app-secret';
const PSID = `${Date.now()}777`;
const ACTIVITY_TIMEOUT_MS = 30_000;
let bench: ChannelBench;
let channel: { id: string; webhookUrl: string };
let redis: Redis;
let send: ReturnType<typeof sendActivities>['sendChannelMessage'];
let reply: { tenant_id: string; conversation_id: string; workflow_id: string; author: string };

beforeAll(async () => {
  bench = await startChannelBench();
  redis = new Redis(sharedServers().redisUrl);
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'EAAP-page-token', name: 'Harbor Dental' });
  channel = await bench.channel('messenger', { credentials: { pageAccessToken: 'EAAP-page-token', appSecret: SECRET, verifyToken: 'v' }, settings: { pageId: PAGE_ID } });
  send = sendActivities({ orm: bench.stack.orm, redis, config: bench.stack.config } as Parameters<typeof sendActivities>[0]).sendChannelMessage;
  // One real turn gives a conversation with a contact; each case below adds its own outbound message to it.
  await bench.graph.post(`${bench.stack.url}/v1/webhooks/messenger/${channel.id}`, SECRET, messengerText(PAGE_ID, PSID, 'hi'));
  await waitUntil(async () => (await outboundRows()).some((m) => m.status === 'sent'), 20_000, 'the greeting sent');
  [reply] = await bench.rows(`select m.tenant_id, m.conversation_id, c.workflow_id, m.author from messages m join conversations c on c.id = m.conversation_id where c.channel_id = $1 and m.direction = 'out' limit 1`, [channel.id]);
});
afterAll(async () => {
  redis?.disconnect();
  await bench?.close();
});

const outboundRows = () => bench.rows(`select m.text, m.status, m.error, m.external_id from messages m join conversations c on c.id = m.conversation_id where c.channel_id = $1 and m.direction = 'out'`, [channel.id]);

/** A stored outbound message not sent yet; returns the activity input for it. */
async function pendingMessage(text: string) {
  const key = `test:${randomUUID()}`;
  await bench.rows(`insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key) values ($1, $2, 'out', $3, $4, $5)`, [reply.tenant_id, reply.conversation_id, reply.author, text, key]);
  return { input: { tenantId: reply.tenant_id, conversationId: reply.conversation_id, workflowId: reply.workflow_id, channel: 'messenger' as const, key }, row: async () => (await outboundRows()).find((m) => m.text === text)! };
}

type Input = Parameters<typeof send>[0];
/** Attempt `n` of the activity, Temporal's way: with that attempt number and start-to-close timeout. */
const attempt = (n: number, input: Input, startToCloseTimeoutMs = ACTIVITY_TIMEOUT_MS) =>
  new MockActivityEnvironment({ attempt: n, startToCloseTimeoutMs }).run(send, input) as ReturnType<typeof send>;
const sentTexts = (text: string) => bench.graph.sent.filter((m) => m.body.message?.text === text);

describe('the last attempt of a send', () => {
  it('marks the message failed when the channel rate would make it retry again', async () => {
    const { input, row } = await pendingMessage('rate-limited to the end');
    const [seconds] = await redis.time();
    await redis.set(rateKey(channel.id), String((Number(seconds) + 60) * 1_000_000), 'PX', 60_000); // next slot a minute away
    try {
      const early = await attempt(3, input).catch((e) => e);
      expect(early.type).toBe('RateLimited');
      expect((await row()).status).toBeNull();

      const last = await attempt(SEND_MAX_ATTEMPTS, input);
      expect(last).toMatchObject({ status: 'failed', error: expect.stringMatching(/^gave up after 8 attempts: channel send rate/) });
      expect(await row()).toMatchObject({ status: 'failed', error: last.error, external_id: null });
      expect(sentTexts('rate-limited to the end')).toHaveLength(0);
    } finally {
      await redis.del(rateKey(channel.id));
    }
  });

  it('marks the message failed before its timeout when the provider does not answer in time', async () => {
    const { input, row } = await pendingMessage('too slow to the end');
    bench.graph.slowNext(1, 4_000);
    const started = Date.now();
    const last = await attempt(SEND_MAX_ATTEMPTS, input, 3_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(last).toMatchObject({ status: 'failed', error: expect.stringContaining('did not finish within') });
    expect(await row()).toMatchObject({ status: 'failed', error: last.error });
  });

  it('leaves an earlier attempt to be retried', async () => {
    const { input, row } = await pendingMessage('retried after a 503');
    bench.graph.failNext(1, { status: 503 });
    expect((await attempt(2, input).catch((e) => e)).type).toBe('ProviderRetryable');
    expect((await row()).status).toBeNull();
    expect(await attempt(3, input)).toMatchObject({ status: 'sent' });
  });
});

describe('Messenger typing indicators', () => {
  it('store the message id without waiting for a slow typing_off, so a retry after acceptance does not resend', async () => {
    const text = 'sent once, typing_off slow';
    const { input, row } = await pendingMessage(text);
    bench.graph.slowNext(1, 5_000, 'typing_off');
    const started = Date.now();
    // Temporal would time the attempt out after 3 s; the retry follows at once.
    const first = await Promise.race([attempt(1, input), new Promise((resolve) => setTimeout(() => resolve('timed out'), 3_000))]);
    expect(first).toMatchObject({ status: 'sent' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await row()).external_id).toBe(sentTexts(text)[0].id);

    expect(await attempt(2, input)).toEqual({ status: 'sent', providerMessageId: sentTexts(text)[0].id });
    expect(sentTexts(text)).toHaveLength(1);
    // typing_off still goes out, after the message.
    await waitUntil(() => bench.graph.senderActions.filter((a) => a.psid === PSID && a.action === 'typing_off').length >= 2, 10_000, 'typing_off');
  });
});
