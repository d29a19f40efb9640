/**
 * WhatsApp end to end: signed webhooks from the fake Graph API → API → inbound log → worker →
 * conversation workflow → sendChannelMessage → the fake's /messages endpoint, on the real stack.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaSignature } from '../../channels/meta/signature';
import { filesSettled, startChannelBench, transcript, type ChannelBench } from './support';
import { waitUntil } from '../support/wait';
import { waitForQuiescence } from '../support/quiescence';
import { wamid, whatsappButtonReply, whatsappImage, whatsappListReply, whatsappLocation, whatsappStatus, whatsappText } from '../fakes/meta-webhooks';

const PHONE_ID = '106540352242922';
const SECRET = 'wa-app-secret';
let bench: ChannelBench;
let channel: { id: string; webhookUrl: string };
let hook: string;

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-wa-token' });
  channel = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-wa-token', appSecret: SECRET, verifyToken: 'wa-verify' }, settings: { phoneNumberId: PHONE_ID } });
  hook = `${bench.stack.url}/v1/webhooks/whatsapp/${channel.id}`;
});
afterAll(async () => bench?.close());

let phones = 0;
const newPhone = () => `1555${String(Date.now()).slice(-5)}${String(++phones).padStart(2, '0')}`;
const post = (body: unknown, opts?: { signature?: string | null }) => bench.graph.post(hook, SECRET, body, opts);
const sentTo = (phone: string) => bench.graph.sent.filter((m) => m.body.to === phone);
const inboundCount = async () => Number((await bench.rows(`select count(*) from inbound_messages where channel_id = $1`, [channel.id]))[0].count);
const textOf = (m: { body: any }) => m.body.text?.body ?? m.body.template?.components?.[0]?.parameters?.[0]?.text;

async function waitForReplies(phone: string, count: number) {
  await waitUntil(() => sentTo(phone).length >= count, 20_000, `${count} replies to ${phone}`);
  return sentTo(phone).map(textOf);
}

describe('WhatsApp webhooks', () => {
  it('answers the verification handshake only with the right verify token', async () => {
    const ok = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=wa-verify&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });

  it('runs the flow: a message in, the reply out through the Cloud API, statuses stored on the message', async () => {
    const phone = newPhone();
    const first = await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone, name: 'Ada Lovelace' }, 'hi'));
    expect(first.status).toBe(200);
    expect(await waitForReplies(phone, 1)).toEqual(['Hello! What is your name?']);
    await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone }, 'Ada'));
    expect(await waitForReplies(phone, 2)).toEqual(['Hello! What is your name?', 'Nice to meet you, Ada!']);
    expect(sentTo(phone)[0].body).toMatchObject({ messaging_product: 'whatsapp', type: 'text', to: phone });

    const contact = await bench.rows(`select name, phone, external_id from contacts where external_id = $1`, [`+${phone}`]);
    expect(contact).toEqual([{ name: 'Ada Lovelace', phone: `+${phone}`, external_id: `+${phone}` }]);

    await waitUntil(async () => (await transcript(bench, channel.id)).filter((m) => m.direction === 'out' && m.external_id && sentTo(phone).some((s) => s.id === m.external_id)).length === 2);
    const wamidOfGreeting = sentTo(phone)[1].id;
    for (const status of ['delivered', 'read', 'delivered'] as const) expect((await post(whatsappStatus(PHONE_ID, wamidOfGreeting, status, phone))).status).toBe(200);
    await waitUntil(async () => (await bench.rows(`select status from messages where external_id = $1`, [wamidOfGreeting]))[0]?.status === 'read');
    // A late "delivered" never moves a read message back.
    await waitForQuiescence(bench.stack);
    expect((await bench.rows(`select status from messages where external_id = $1`, [wamidOfGreeting]))[0].status).toBe('read');

    await post(whatsappStatus(PHONE_ID, sentTo(phone)[0].id, 'failed', phone, { code: 131051, title: 'Unsupported message type' }));
    await waitUntil(async () => (await bench.rows(`select status from messages where external_id = $1`, [sentTo(phone)[0].id]))[0]?.status === 'failed');
    expect((await bench.rows(`select error from messages where external_id = $1`, [sentTo(phone)[0].id]))[0].error).toContain('131051');
  });

  it('refuses a bad or missing signature (401/403) and records nothing', async () => {
    const before = await inboundCount();
    const body = whatsappText({ phoneNumberId: PHONE_ID, from: newPhone() }, 'forged');
    const forged = await post(body, { signature: 'sha256=' + 'ab'.repeat(32) });
    expect(forged.status).toBe(403);
    expect(forged.body.error.field).toBe('x-hub-signature-256');
    expect((await post(body, { signature: null })).status).toBe(401);
    const otherSecret = await bench.graph.post(hook, 'not-the-app-secret', body);
    expect(otherSecret.status).toBe(403);
    expect(await inboundCount()).toBe(before);
  });

  it('answers a malformed delivery with 400 and the reason, and acknowledges one with only a bad message', async () => {
    const notObject = await post('just a string');
    expect(notObject.status).toBe(400);
    expect(notObject.body.error).toMatchObject({ field: 'body', message: 'body must be a JSON object' });
    const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(SECRET, '{oops') }, body: '{oops' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'bad_request', field: 'body' });

    const noFrom = whatsappText({ phoneNumberId: PHONE_ID, from: newPhone() }, 'x') as any;
    delete noFrom.entry[0].changes[0].value.messages[0].from;
    // One bad message in a batch is logged and acknowledged: a 400 would make Meta redeliver the good ones with it.
    const before = await inboundCount();
    expect((await post(noFrom)).status).toBe(200);
    expect(await inboundCount()).toBe(before);

    const wrongObject = await post({ object: 'page', entry: [] });
    expect(wrongObject.status).toBe(400);
    expect(wrongObject.body.error.field).toBe('object');
  });

  it('makes one turn of a webhook delivered three times, and ignores a re-dispatch of the same message id', async () => {
    const phone = newPhone();
    const externalId = wamid();
    const body = whatsappText({ phoneNumberId: PHONE_ID, from: phone, id: externalId }, 'hello there');
    const results = await Promise.all([post(body), post(body), post(body)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitForReplies(phone, 1);
    const rows = await bench.rows(`select id, status from inbound_messages where external_id = $1`, [externalId]);
    expect(rows).toHaveLength(1);

    // The worker dies after signalling but before marking the row: the row is dispatched again.
    await waitUntil(async () => (await bench.rows(`select status from inbound_messages where id = $1`, [rows[0].id]))[0].status === 'dispatched');
    await bench.db.query(`update inbound_messages set status = 'pending' where id = $1`, [rows[0].id]);
    await bench.inbound.processor.process(rows[0].id);
    await post(body);
    await waitForQuiescence(bench.stack);
    const turns = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in' && m.text === 'hello there');
    expect(turns).toHaveLength(1);
    expect(sentTo(phone)).toHaveLength(1);
  });

  it('retries a 429 after Retry-After and sends exactly once; a permanent refusal marks the message failed without retrying', async () => {
    const phone = newPhone();
    bench.graph.failNext(2, { status: 429, retryAfter: '1' });
    await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone }, 'hi'));
    await waitForReplies(phone, 1);
    const attempts = bench.graph.requests.filter((r) => r.method === 'POST' && r.body?.to === phone);
    expect(attempts).toHaveLength(3);
    expect(sentTo(phone)).toHaveLength(1);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(900);

    const blocked = newPhone();
    bench.graph.failNext(1, { status: 400, code: 131026, message: 'Message undeliverable' });
    await post(whatsappText({ phoneNumberId: PHONE_ID, from: blocked }, 'hi'));
    await waitUntil(async () => (await bench.rows(`select m.status from messages m join contacts c on true join conversations v on v.contact_id = c.id and m.conversation_id = v.id where c.external_id = $1 and m.direction = 'out'`, [`+${blocked}`]))[0]?.status === 'failed');
    const [failed] = await bench.rows(`select m.error from messages m join conversations v on m.conversation_id = v.id join contacts c on v.contact_id = c.id where c.external_id = $1 and m.direction = 'out'`, [`+${blocked}`]);
    expect(failed.error).toContain('131026');
    await waitForQuiescence(bench.stack);
    expect(bench.graph.requests.filter((r) => r.method === 'POST' && r.body?.to === blocked)).toHaveLength(1);
  });

  it('keeps to the 24-hour window: plain text fails clearly outside it, the configured template goes out', async () => {
    const phone = newPhone();
    const dayAgo = Date.now() - 25 * 3600_000;
    await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone, at: dayAgo }, 'hi'));
    await waitUntil(async () => (await bench.rows(`select m.status from messages m join conversations v on m.conversation_id = v.id join contacts c on v.contact_id = c.id where c.external_id = $1 and m.direction = 'out'`, [`+${phone}`]))[0]?.status === 'failed');
    const [refused] = await bench.rows(`select m.error from messages m join conversations v on m.conversation_id = v.id join contacts c on v.contact_id = c.id where c.external_id = $1 and m.direction = 'out'`, [`+${phone}`]);
    expect(refused.error).toMatch(/outside the WhatsApp 24-hour customer-service window/);
    expect(sentTo(phone)).toHaveLength(0);

    const patched = await bench.stack.request('PATCH', `/v1/channels/${channel.id}`, { apiKey: bench.apiKey, body: { settings: { phoneNumberId: PHONE_ID, windowTemplate: { name: 'follow_up', language: 'en_US' } } } });
    expect(patched.status).toBe(200);
    await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone, at: dayAgo + 1000 }, 'Grace'));
    await waitForReplies(phone, 1);
    expect(sentTo(phone)[0].body).toMatchObject({
      type: 'template',
      template: { name: 'follow_up', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Nice to meet you, Grace!' }] }] },
    });
    await bench.stack.request('PATCH', `/v1/channels/${channel.id}`, { apiKey: bench.apiKey, body: { settings: { phoneNumberId: PHONE_ID } } });
  });

  it('downloads inbound media through the media URL and stores it; keeps locations and interactive replies', async () => {
    const phone = newPhone();
    const bytes = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes', 'latin1');
    bench.graph.addMedia('1234567890123', bytes, 'image/jpeg');
    await post(whatsappImage({ phoneNumberId: PHONE_ID, from: phone }, '1234567890123', 'my x-ray'));
    await waitForReplies(phone, 1);
    await filesSettled(bench, channel.id);
    const [asset] = await bench.rows(`select id, content, content_type, byte_size, ref from media_assets where ref = '1234567890123'`);
    expect(asset).toMatchObject({ content_type: 'image/jpeg', byte_size: bytes.length });
    expect(Buffer.compare(asset.content, bytes)).toBe(0);
    const inbound = (await transcript(bench, channel.id)).find((m) => m.direction === 'in' && m.text === 'my x-ray')!;
    expect(inbound.metadata.attachments).toEqual([{ status: 'stored', mediaAssetId: asset.id, contentType: 'image/jpeg', byteSize: bytes.length }]);
    const download = bench.graph.requests.find((r) => r.path === '/media-download/1234567890123')!;
    expect(download.headers.authorization).toBe('Bearer EAAG-wa-token');

    await post(whatsappLocation({ phoneNumberId: PHONE_ID, from: phone }));
    await post(whatsappButtonReply({ phoneNumberId: PHONE_ID, from: phone }, 'confirm-yes', 'Yes'));
    await post(whatsappListReply({ phoneNumberId: PHONE_ID, from: phone }, 'slot-9am', '9:00'));
    // Webhooks a moment apart are dispatched side by side: wait for all three, in whichever order.
    await waitUntil(async () => {
      const inbound = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in').map((m) => m.text);
      return inbound.some((t) => t.includes('Harbor Dental, 1 Dock St')) && inbound.includes('Yes') && inbound.includes('9:00');
    });
    const all = await transcript(bench, channel.id);
    expect(all.find((m) => m.text.includes('Harbor Dental, 1 Dock St'))!.metadata.location).toMatchObject({ latitude: 52.52, longitude: 13.405 });
    expect(all.find((m) => m.direction === 'in' && m.text === 'Yes')!.metadata.reply).toEqual({ type: 'button_reply', id: 'confirm-yes', title: 'Yes' });
    expect(all.find((m) => m.direction === 'in' && m.text === '9:00')!.metadata.reply).toEqual({ type: 'list_reply', id: 'slot-9am', title: '9:00' });
  });

  it('records the message while Temporal is unreachable and processes it once when it is back', async () => {
    const phone = newPhone();
    const dead = new Client({ connection: await Connection.lazy({ address: '127.0.0.1:1' }) });
    bench.inbound.processor.temporal = dead;
    try {
      const started = Date.now();
      const res = await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone }, 'are you there?'));
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      await waitUntil(async () => (await bench.rows(`select attempts from inbound_messages where payload->>'contactAddress' = $1 and status = 'pending'`, [`+${phone}`]))[0]?.attempts >= 2, 30_000, 'failed dispatch attempts');
      expect(sentTo(phone)).toHaveLength(0);
    } finally {
      bench.inbound.processor.temporal = bench.stack.temporal;
    }
    await waitForReplies(phone, 1);
    await waitForQuiescence(bench.stack);
    expect(sentTo(phone)).toHaveLength(1);
    const turns = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in' && m.text === 'are you there?');
    expect(turns).toHaveLength(1);
  });
});
