/** Messenger end to end on the real stack against the fake Graph API (Send API and signed webhooks). */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesSettled, startChannelBench, transcript, type ChannelBench } from './support';
import { waitUntil } from '../support/wait';
import { waitForQuiescence } from '../support/quiescence';
import { messengerAttachment, messengerDelivery, messengerPostback, messengerQuickReply, messengerRead, messengerText, mid } from '../fakes/meta-webhooks';

const PAGE_ID = '1477392262503381';
const SECRET = 'ms-app-secret';
let bench: ChannelBench;
let channel: { id: string; webhookUrl: string };
let hook: string;

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'EAAP-page-token', name: 'Harbor Dental' });
  channel = await bench.channel('messenger', { credentials: { pageAccessToken: 'EAAP-page-token', appSecret: SECRET, verifyToken: 'ms-verify' }, settings: { pageId: PAGE_ID } });
  hook = `${bench.stack.url}/v1/webhooks/messenger/${channel.id}`;
});
afterAll(async () => bench?.close());

let users = 0;
const newPsid = () => `${Date.now()}${String(++users).padStart(3, '0')}`;
const post = (body: unknown, opts?: { signature?: string | null }) => bench.graph.post(hook, SECRET, body, opts);
const sentTo = (psid: string) => bench.graph.sent.filter((m) => m.body.recipient.id === psid);
const inboundCount = async () => Number((await bench.rows(`select count(*) from inbound_messages where channel_id = $1`, [channel.id]))[0].count);
const outbound = (psid: string) =>
  bench.rows(`select m.status, m.error, m.external_id from messages m join conversations v on v.id = m.conversation_id where v.thread_key = $1 and m.direction = 'out' order by m.created_at`, [psid]);

async function waitForReplies(psid: string, count: number) {
  await waitUntil(() => sentTo(psid).length >= count, 20_000, `${count} replies to ${psid}`);
  return sentTo(psid).map((m) => m.body.message.text);
}

describe('Messenger webhooks', () => {
  it('answers the verification handshake with the challenge', async () => {
    const ok = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=ms-verify&hub.challenge=CHALLENGE_ACCEPTED`);
    expect(await ok.text()).toBe('CHALLENGE_ACCEPTED');
    expect((await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`)).status).toBe(403);
  });

  it('runs the flow with typing indicators around each reply, and read receipts update the messages', async () => {
    const psid = newPsid();
    expect((await post(messengerText(PAGE_ID, psid, 'hi'))).status).toBe(200);
    expect(await waitForReplies(psid, 1)).toEqual(['Hello! What is your name?']);
    await post(messengerText(PAGE_ID, psid, 'Linus'));
    expect(await waitForReplies(psid, 2)).toEqual(['Hello! What is your name?', 'Nice to meet you, Linus!']);
    expect(sentTo(psid)[0].body).toMatchObject({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Hello! What is your name?' } });
    await waitUntil(() => bench.graph.senderActions.filter((a) => a.psid === psid).length >= 6);
    // mark_seen and typing_on before every reply, typing_off after it, in that order around the send.
    expect(bench.graph.senderActions.filter((a) => a.psid === psid).map((a) => a.action)).toEqual(['mark_seen', 'typing_on', 'typing_off', 'mark_seen', 'typing_on', 'typing_off']);
    const order = bench.graph.requests.filter((r) => r.body?.recipient?.id === psid).map((r) => r.body.sender_action ?? 'message');
    expect(order.slice(0, 4)).toEqual(['mark_seen', 'typing_on', 'message', 'typing_off']);

    await waitUntil(async () => (await outbound(psid)).filter((m) => m.status === 'sent').length === 2);
    await post(messengerDelivery(PAGE_ID, psid, [sentTo(psid)[0].id]));
    await waitUntil(async () => (await outbound(psid))[0].status === 'delivered');
    await post(messengerRead(PAGE_ID, psid, Date.now() + 1000));
    await waitUntil(async () => (await outbound(psid)).every((m) => m.status === 'read'));
  });

  it('keeps quick replies, postbacks and attachments (downloaded and stored)', async () => {
    const psid = newPsid();
    const url = bench.graph.addMedia('scan-42', Buffer.from('%PDF-1.4 fake'), 'application/pdf');
    await post(messengerAttachment(PAGE_ID, psid, url, 'file'));
    await waitForReplies(psid, 1);
    await post(messengerQuickReply(PAGE_ID, psid, 'Tomorrow', 'DAY_TOMORROW'));
    await post(messengerPostback(PAGE_ID, psid, 'Get Started', 'GET_STARTED'));
    // Two webhooks a moment apart are dispatched side by side: wait for both, in whichever order.
    await waitUntil(async () => {
      const texts = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in').map((m) => m.text);
      return texts.includes('Tomorrow') && texts.includes('Get Started');
    });
    await filesSettled(bench, channel.id);
    const all = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in');
    const file = all.find((m) => m.text === '[file]')!;
    const [asset] = await bench.rows(`select id, content, content_type from media_assets where ref = $1`, [url]);
    expect(asset.content.toString()).toBe('%PDF-1.4 fake');
    expect(file.metadata.attachments[0]).toMatchObject({ status: 'stored', mediaAssetId: asset.id, contentType: 'application/pdf' });
    // CDN links are fetched without the page token.
    expect(bench.graph.requests.find((r) => r.path === '/cdn/scan-42')!.headers.authorization).toBeUndefined();
    expect(all.find((m) => m.text === 'Tomorrow')!.metadata.reply).toEqual({ type: 'quick_reply', id: 'DAY_TOMORROW', title: 'Tomorrow' });
    expect(all.find((m) => m.text === 'Get Started')!.metadata.postback).toEqual({ payload: 'GET_STARTED', title: 'Get Started' });
  });

  it('refuses bad signatures and malformed deliveries, and records nothing of an item without a sender', async () => {
    const before = await inboundCount();
    const body = messengerText(PAGE_ID, newPsid(), 'forged');
    expect((await post(body, { signature: 'sha256=00' })).status).toBe(403);
    expect((await post(body, { signature: null })).status).toBe(401);
    const noSender = messengerText(PAGE_ID, newPsid(), 'x') as any;
    delete noSender.entry[0].messaging[0].sender;
    // Meta batches items: one it cannot record is logged and acknowledged, never a 400 for the whole delivery.
    expect((await post(noSender)).status).toBe(200);
    const malformed = await post({ object: 'page', entry: [] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('entry');
    expect(await inboundCount()).toBe(before);
  });

  it('makes one turn of a message delivered three times', async () => {
    const psid = newPsid();
    const body = messengerText(PAGE_ID, psid, 'once please', mid());
    for (let i = 0; i < 3; i++) expect((await post(body)).status).toBe(200);
    await waitForReplies(psid, 1);
    await waitForQuiescence(bench.stack);
    expect((await transcript(bench, channel.id)).filter((m) => m.direction === 'in' && m.text === 'once please')).toHaveLength(1);
    expect(sentTo(psid)).toHaveLength(1);
  });

  it('retries 429 twice then sends once; a blocked user marks the message failed', async () => {
    const psid = newPsid();
    bench.graph.failNext(2, { status: 429, retryAfter: '1', code: 613 });
    await post(messengerText(PAGE_ID, psid, 'hi'));
    await waitForReplies(psid, 1);
    expect(bench.graph.requests.filter((r) => r.body?.recipient?.id === psid && r.body.message)).toHaveLength(3);
    expect(sentTo(psid)).toHaveLength(1);

    const blocked = newPsid();
    bench.graph.failNext(1, { status: 400, code: 551, message: 'This person isn\'t available right now.' });
    await post(messengerText(PAGE_ID, blocked, 'hi'));
    await waitUntil(async () => (await outbound(blocked))[0]?.status === 'failed');
    expect((await outbound(blocked))[0].error).toContain('551');
    await waitForQuiescence(bench.stack);
    expect(bench.graph.requests.filter((r) => r.body?.recipient?.id === blocked && r.body.message)).toHaveLength(1);
  });

  it('processes a message recorded while Temporal was unreachable, once', async () => {
    const psid = newPsid();
    bench.inbound.processor.temporal = new Client({ connection: await Connection.lazy({ address: '127.0.0.1:1' }) });
    try {
      expect((await post(messengerText(PAGE_ID, psid, 'still there?'))).status).toBe(200);
      await waitUntil(async () => (await bench.rows(`select attempts from inbound_messages where payload->>'contactAddress' = $1 and status = 'pending'`, [psid]))[0]?.attempts >= 1, 30_000);
    } finally {
      bench.inbound.processor.temporal = bench.stack.temporal;
    }
    await waitForReplies(psid, 1);
    await waitForQuiescence(bench.stack);
    expect(sentTo(psid)).toHaveLength(1);
  });
});
