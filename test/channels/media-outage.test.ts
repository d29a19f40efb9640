/**
 * A media host that is down, slow, or back: the message and the bot's turn never wait for its
 * files. The file is `pending` on the message while a background workflow downloads it with a
 * bounded retry (3 attempts, 1 s then 2 s apart here), then `stored` or `failed` with the reason,
 * and the message is published again for the inbox.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantLiveChannel } from '../../events/live';
import { messengerAttachment } from '../fakes/meta-webhooks';
import { sharedServers } from '../support/shared-servers';
import { waitUntil } from '../support/wait';
import { startChannelBench, transcript, type ChannelBench } from './support';

const PAGE_ID = '1477392262503399';
const SECRET = 'outage-app-secret';
const PDF = Buffer.from('%PDF-1.4 lab results');
let bench: ChannelBench;
let channel: { id: string };
let media: Server;
let mediaUrl: string;
let live: Redis;
const frames: { conversationId: string; message: { id: string }; at: number }[] = [];

/** The media host: `/slow` waits for release(), `/flaky` answers 503 `failures` times first, then the file. */
let release: () => void = () => undefined;
let failures = 0;
const hits: string[] = [];

beforeAll(async () => {
  bench = await startChannelBench({ CHANNEL_MEDIA_DOWNLOAD_ATTEMPTS: '3', CHANNEL_MEDIA_RETRY_SECONDS: '1' });
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'page-token' });
  channel = await bench.channel('messenger', { credentials: { pageAccessToken: 'page-token', appSecret: SECRET, verifyToken: 'v' }, settings: { pageId: PAGE_ID, typingIndicators: false } });
  media = createServer((req, res) => {
    hits.push(req.url!);
    const send = () => res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF);
    if (req.url === '/slow') release = send;
    else if (req.url === '/flaky' && failures-- > 0) res.writeHead(503).end();
    else send();
  });
  await new Promise<void>((r) => media.listen(0, '127.0.0.1', r));
  mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  live = new Redis(sharedServers().redisUrl);
  live.on('message', (_c: string, payload: string) => {
    const event = JSON.parse(payload);
    if (event.type === 'message') frames.push({ ...event, at: Date.now() });
  });
  await live.subscribe(tenantLiveChannel(bench.tenantId));
});
afterAll(async () => {
  live?.disconnect();
  await new Promise((r) => media?.close(r));
  await bench?.close();
});

let users = 0;
const send = async (url: string) => {
  const psid = `${Date.now()}${String(++users).padStart(3, '0')}`;
  const sentAt = Date.now();
  await bench.graph.post(`${bench.stack.url}/v1/webhooks/messenger/${channel.id}`, SECRET, messengerAttachment(PAGE_ID, psid, url, 'file'));
  return { psid, sentAt };
};
const conversation = async (psid: string) => {
  const rows = await bench.rows(
    `select m.id, m.direction, m.metadata, m.created_at from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 order by m.created_at, m.id`,
    [psid],
  );
  return { inbound: rows.find((m) => m.direction === 'in'), reply: rows.find((m) => m.direction === 'out') };
};
const attachmentOf = async (psid: string) => (await conversation(psid)).inbound?.metadata.attachments?.[0];
const apiAttachment = async (messageId: string, conversationId: string) => {
  const res = await bench.stack.request('GET', `/v1/conversations/${conversationId}/messages`, { apiKey: bench.apiKey });
  return (res.body.messages as { id: string; attachments?: unknown[] }[]).find((m) => m.id === messageId)?.attachments?.[0];
};

describe('inbound media never holds up the message', () => {
  it('slow host: the bot answers while the file is pending; when it arrives it is stored and the message published again', async () => {
    const { psid, sentAt } = await send(`${mediaUrl}/slow`);
    await waitUntil(async () => !!(await conversation(psid)).reply, 15_000, 'the bot answered');
    const answeredIn = Date.now() - sentAt;
    const { inbound } = await conversation(psid);
    expect(inbound.metadata.attachments).toEqual([{ status: 'pending', ref: `${mediaUrl}/slow` }]);
    await waitUntil(() => hits.includes('/slow'), 10_000, 'the download started');
    const framesBefore = frames.filter((f) => f.message.id === inbound.id).length;
    release();
    await waitUntil(async () => (await attachmentOf(psid))?.status === 'stored', 15_000, 'the file stored');
    const [asset] = await bench.rows(`select id, content from media_assets where channel_id = $1 and ref = $2`, [channel.id, `${mediaUrl}/slow`]);
    expect(asset.content).toEqual(PDF);
    expect(await attachmentOf(psid)).toEqual({ status: 'stored', mediaAssetId: asset.id, contentType: 'application/pdf', byteSize: PDF.length });
    await waitUntil(() => frames.filter((f) => f.message.id === inbound.id).length > framesBefore, 5_000, 'the message published again');
    const conversationId = (await bench.rows(`select conversation_id from messages where id = $1`, [inbound.id]))[0].conversation_id;
    expect(await apiAttachment(inbound.id, conversationId)).toMatchObject({ id: asset.id, status: 'stored', size: PDF.length, url: expect.stringContaining('/v1/widget/files/') });
    console.log(`slow host: answered in ${answeredIn} ms with the file pending`);
  });

  it('host down: the turn runs at once; after the bounded attempts the file is failed with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone.pdf`;
    await new Promise((r) => closed.close(r));
    const { psid, sentAt } = await send(deadUrl);
    let answeredAt = 0;
    await waitUntil(async () => {
      if (!answeredAt && (await conversation(psid)).reply) answeredAt = Date.now();
      return (await attachmentOf(psid))?.status === 'failed';
    }, 30_000, 'the file marked failed');
    const failedAt = Date.now();
    expect(answeredAt).toBeGreaterThan(0);
    expect(answeredAt).toBeLessThan(failedAt);
    // Three attempts 1 s and 2 s apart: the failure comes after ~3 s, the answer does not wait for it.
    expect(failedAt - sentAt).toBeGreaterThanOrEqual(3_000);
    expect(await attachmentOf(psid)).toEqual({ status: 'failed', ref: deadUrl, error: expect.stringMatching(/attachment download failed: .*fetch failed|ECONNREFUSED/) });
    const [run] = await bench.rows(`select count(*)::int as n from media_assets where ref = $1`, [deadUrl]);
    expect(run.n).toBe(0);
    console.log(`host down: answered in ${answeredAt - sentAt} ms, file failed after ${failedAt - sentAt} ms`);
  });

  it('host back: a file that failed twice is stored on the third attempt', async () => {
    failures = 2;
    const { psid } = await send(`${mediaUrl}/flaky`);
    await waitUntil(async () => !!(await conversation(psid)).reply, 15_000, 'the bot answered');
    await waitUntil(async () => (await attachmentOf(psid))?.status !== 'pending', 20_000, 'the download finished');
    expect(await attachmentOf(psid)).toMatchObject({ status: 'stored', byteSize: PDF.length });
    expect(hits.filter((h) => h === '/flaky')).toHaveLength(3);
  });
});
