/**
 * Message kinds end to end on the real stack: Meta payloads shaped as the webhook references
 * document them → the route → the stored message → the flow (a condition on `message.kind`) →
 * the API's message representation; amendments (reactions, edits, deletions) on stored messages;
 * a Messenger batch with a bad item among good ones; the legacy SHA-1 signature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaSignature } from '../../channels/meta/signature';
import { filesSettled, kindFlow, startChannelBench, transcript, type ChannelBench } from './support';
import { waitUntil } from '../support/wait';
import {
  messengerBatch,
  messengerFallbackItem,
  messengerLocationItem,
  messengerOptinItem,
  messengerPostbackReferralItem,
  messengerReferralItem,
  metaJson,
  mid,
  wamid,
  whatsappContacts,
  whatsappEdit,
  whatsappImage,
  whatsappLocation,
  whatsappOrder,
  whatsappReaction,
  whatsappReferral,
  whatsappRevoke,
  whatsappStatus,
} from '../fakes/meta-webhooks';

const PHONE_ID = '106540352242933';
const PAGE_ID = '1477392262503399';
const WA_SECRET = 'wa-fidelity-secret';
const MS_SECRET = 'ms-fidelity-secret';

let bench: ChannelBench;
let wa: { id: string };
let ms: { id: string };
const hook = (type: string, id: string) => `${bench.stack.url}/v1/webhooks/${type}/${id}`;

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-fidelity' });
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'EAAP-fidelity', name: 'Harbor Dental' });
  wa = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-fidelity', appSecret: WA_SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID } }, kindFlow);
  ms = await bench.channel('messenger', { credentials: { pageAccessToken: 'EAAP-fidelity', appSecret: MS_SECRET, verifyToken: 'v' }, settings: { pageId: PAGE_ID } }, kindFlow);
});
afterAll(async () => bench?.close());

const postWa = (body: unknown) => bench.graph.post(hook('whatsapp', wa.id), WA_SECRET, body);
const postMs = (body: unknown) => bench.graph.post(hook('messenger', ms.id), MS_SECRET, body);
const repliesTo = (recipient: string) => bench.graph.sent.filter((m) => (m.body.to ?? m.body.recipient?.id ?? m.body.recipient?.user_ref) === recipient).map((m) => m.body.text?.body ?? m.body.message?.text);

async function apiMessages(conversationId: string) {
  const res = await bench.stack.request('GET', `/v1/conversations/${conversationId}/messages?limit=200`, { apiKey: bench.apiKey });
  expect(res.status).toBe(200);
  return res.body.messages as any[];
}

describe('WhatsApp message kinds', () => {
  it('stores contacts, orders, locations, media and ad referrals, lets the flow branch on the kind, and returns each part in the API', async () => {
    const from = `1555${String(Date.now()).slice(-7)}`;
    const opts = { phoneNumberId: PHONE_ID, from };
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    bench.graph.addMedia('media-fidelity-1', jpeg, 'image/jpeg');
    const ids = { contacts: wamid(), order: wamid(), location: wamid(), referral: wamid(), image: wamid() };
    expect((await postWa(whatsappContacts({ ...opts, id: ids.contacts }))).status).toBe(200);
    await waitUntil(() => repliesTo(from).length === 1, 20_000, 'contacts answered');
    await postWa(whatsappOrder({ ...opts, id: ids.order }));
    await waitUntil(() => repliesTo(from).length === 2, 20_000, 'order answered');
    await postWa(whatsappLocation({ ...opts, id: ids.location }));
    await waitUntil(() => repliesTo(from).length === 3, 20_000, 'location answered');
    await postWa(whatsappReferral({ ...opts, id: ids.referral }, 'Is the whitening offer still on?'));
    await waitUntil(() => repliesTo(from).length === 4, 20_000, 'referral answered');
    await postWa(whatsappImage({ ...opts, id: ids.image }, 'media-fidelity-1'));
    await waitUntil(() => repliesTo(from).length === 5, 20_000, 'image answered');
    expect(repliesTo(from)).toEqual(['Got contacts', 'Got order', 'Location at 52.52', 'Got text', 'Got image']);

    const stored = (await transcript(bench, wa.id)).filter((m) => m.direction === 'in');
    const byId = new Map(stored.map((m) => [m.external_id, m]));
    expect(byId.get(ids.contacts)!.text).toBe('Contact: Grace Hopper, +1 555 0100, grace@example.com, US Navy');
    expect(byId.get(ids.order)!.text).toBe('Order of 2 items:\n2 × SKU-TOOTHBRUSH @ 3.5 EUR\n1 × SKU-FLOSS @ 2 EUR\nPlease deliver after 5pm');

    const conversationId = stored[0].conversation_id;
    await filesSettled(bench, wa.id);
    const messages = await apiMessages(conversationId);
    const api = (externalText: string) => messages.find((m) => m.direction === 'in' && m.text.startsWith(externalText));
    expect(api('Contact:')).toMatchObject({ kind: 'contacts', contacts: [{ name: 'Grace Hopper', phones: ['+1 555 0100'], emails: ['grace@example.com'], organization: 'US Navy' }] });
    expect(api('Order of')).toMatchObject({ kind: 'order', order: { catalogId: '1234567890', items: [{ productId: 'SKU-TOOTHBRUSH', quantity: 2, price: 3.5, currency: 'EUR' }, { productId: 'SKU-FLOSS', quantity: 1 }] } });
    expect(api('Harbor Dental')).toMatchObject({ kind: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Harbor Dental' } });
    expect(api('Is the whitening')).toMatchObject({ kind: 'text', referral: { source: 'ad', sourceId: '120210000000000000', headline: 'Whitening special', clickId: 'ARAkLkA8rmlFeiCktEJQ' } });
    const image = api('[image]');
    expect(image).toMatchObject({ kind: 'image', attachments: [{ contentType: 'image/jpeg', size: 7, status: 'stored' }] });
    const file = await fetch(new URL(image.attachments[0].url, bench.stack.url));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(jpeg);
    // Each bot reply says how far delivery got, and a failure says why.
    const replies = messages.filter((m) => m.direction === 'out');
    expect(replies).toHaveLength(5);
    await waitUntil(async () => (await apiMessages(conversationId)).filter((m) => m.direction === 'out' && m.delivery?.status === 'sent').length === 5);
    const failedWamid = bench.graph.sent.filter((m) => m.body.to === from)[0].id;
    await postWa(whatsappStatus(PHONE_ID, failedWamid, 'failed', from, { code: 131047, title: 'Re-engagement message' }));
    await waitUntil(async () => (await apiMessages(conversationId)).some((m) => m.delivery?.status === 'failed'));
    expect((await apiMessages(conversationId)).find((m) => m.delivery?.status === 'failed').delivery.error).toContain('131047 Re-engagement message');
  });

  it('applies reactions, edits and deletions to the stored message, keeping the former texts, without a turn', async () => {
    const from = `1556${String(Date.now()).slice(-7)}`;
    const opts = { phoneNumberId: PHONE_ID, from };
    const original = wamid();
    await postWa(whatsappReferral({ ...opts, id: original }, 'Tuesday at 10?'));
    await waitUntil(() => repliesTo(from).length === 1, 20_000, 'first message answered');
    await postWa(whatsappReaction(opts, original, '👍'));
    await postWa(whatsappEdit(opts, original, 'Tuesday at 11?'));
    // A reaction on one of our replies lands on the reply.
    const replyId = bench.graph.sent.find((m) => m.body.to === from)!.id;
    await waitUntil(async () => (await bench.rows(`select 1 from messages where external_id = $1`, [replyId])).length === 1);
    await postWa(whatsappReaction(opts, replyId, '❤️'));
    await waitUntil(async () => {
      const [row] = await bench.rows(`select text, metadata from messages where external_id = $1`, [original]);
      return row?.text === 'Tuesday at 11?' && row.metadata.reactions?.length === 1;
    }, 20_000, 'edit and reaction applied');
    await postWa(whatsappRevoke(opts, original));
    await waitUntil(async () => (await bench.rows(`select text from messages where external_id = $1`, [original]))[0].text === '[message deleted]', 20_000, 'revoke applied');

    const [row] = await bench.rows(`select conversation_id from messages where external_id = $1`, [original]);
    const messages = await apiMessages(row.conversation_id);
    const message = messages.find((m) => m.direction === 'in');
    expect(message.text).toBe('[message deleted]');
    expect(message.reactions).toEqual([{ emoji: '👍', at: expect.any(String) }]);
    expect(message.history.map((h: any) => [h.type, h.text])).toEqual([
      ['edit', 'Tuesday at 10?'],
      ['revoke', 'Tuesday at 11?'],
    ]);
    expect(message.revokedAt).toEqual(expect.any(String));
    expect(messages.find((m) => m.direction === 'out').reactions).toEqual([{ emoji: '❤️', at: expect.any(String) }]);
    // Amendments make no turn: still one contact message and one reply.
    expect(messages.map((m) => m.direction)).toEqual(['in', 'out']);
    expect(repliesTo(from)).toHaveLength(1);
  });
});

describe('Messenger message kinds', () => {
  it('records every good item of a batch with a bad one among them, answers 200, and routes each', async () => {
    const psid = `${Date.now()}71`;
    const psid2 = `${Date.now()}72`;
    const psid3 = `${Date.now()}73`;
    const userRef = `ref-${Date.now()}`;
    const batch = messengerBatch(PAGE_ID, [
      messengerLocationItem(psid),
      { message: { mid: mid(), text: 'no sender, no opt-in' } },
      messengerOptinItem(userRef),
      { sender: { id: psid }, message: { text: 'no mid' } },
      messengerReferralItem(psid2),
      messengerPostbackReferralItem(psid3),
    ]);
    const res = await postMs(batch);
    expect(res.status).toBe(200);
    await waitUntil(() => repliesTo(psid).length === 1 && repliesTo(userRef).length === 1 && repliesTo(psid2).length === 1 && repliesTo(psid3).length === 1, 20_000, 'every good item answered');
    expect(repliesTo(psid)).toEqual(['Location at 52.52']);
    expect(repliesTo(userRef)).toEqual(['Got optin']);
    expect(repliesTo(psid2)).toEqual(['Got referral']);
    expect(repliesTo(psid3)).toEqual(['Got postback']);
    // The user_ref recipient gets no sender actions (they need a PSID).
    expect(bench.graph.senderActions.some((a) => a.psid === undefined)).toBe(false);

    await postMs(messengerBatch(PAGE_ID, [messengerFallbackItem(psid)]));
    await waitUntil(() => repliesTo(psid).length === 2, 20_000, 'shared link answered');
    expect(repliesTo(psid)[1]).toBe('Got link');

    // Reactions and edits (message_reactions, message_edits) change the message they name.
    const [located] = await bench.rows(`select m.external_id from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'in' order by m.created_at limit 1`, [psid]);
    await postMs(
      messengerBatch(PAGE_ID, [
        { sender: { id: psid }, reaction: { mid: located.external_id, action: 'react', emoji: '😮', reaction: 'wow' } },
        { sender: { id: psid }, message_edit: { mid: located.external_id, text: 'Meet me here instead', num_edit: 1 } },
      ]),
    );
    await waitUntil(async () => {
      const [row] = await bench.rows(`select text, metadata from messages where external_id = $1`, [located.external_id]);
      return row.text === 'Meet me here instead' && row.metadata.reactions?.[0]?.emoji === '😮';
    }, 20_000, 'Messenger reaction and edit applied');

    const [conv] = await bench.rows(`select id from conversations where channel_id = $1 and thread_key = $2`, [ms.id, psid]);
    const messages = (await apiMessages(conv.id)).filter((m) => m.direction === 'in');
    expect(messages[0]).toMatchObject({
      kind: 'location',
      text: 'Meet me here instead',
      location: { latitude: 52.52, longitude: 13.405, name: 'Harbor Dental' },
      history: [{ type: 'edit', text: 'Harbor Dental (52.52, 13.405)' }],
      reactions: [{ emoji: '😮' }],
    });
    expect(messages[1]).toMatchObject({ kind: 'link', text: 'Teeth whitening, explained https://example.com/whitening', links: [{ url: 'https://example.com/whitening', title: 'Teeth whitening, explained' }] });
    const [optin] = await bench.rows(`select m.metadata from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'in'`, [`user_ref:${userRef}`]);
    expect(optin.metadata).toMatchObject({ kind: 'optin', optin: { ref: 'checkout-page', userRef } });
    const [postback] = await bench.rows(`select m.metadata from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'in'`, [psid3]);
    expect(postback.metadata).toMatchObject({ kind: 'postback', referral: { ref: 'ad-42', source: 'ADS', sourceId: '6045246247433' } });
  });

  it('still refuses a body that is not a Messenger delivery at all', async () => {
    const res = await postMs({ object: 'page', entry: [] });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('entry');
  });
});

describe('The message representation', () => {
  it('is documented in the OpenAPI document', async () => {
    const doc = await bench.stack.request('GET', '/docs/json');
    const page = doc.body.paths['/v1/conversations/{id}/messages'].get.responses['200'].content['application/json'].schema;
    const props = page.properties.messages.items.properties;
    for (const part of ['kind', 'attachments', 'location', 'contacts', 'order', 'reply', 'referral', 'reactions', 'history', 'revokedAt', 'email', 'delivery']) expect(props).toHaveProperty(part);
    expect(props.delivery.properties.status.enum).toEqual(['pending', 'sent', 'delivered', 'read', 'failed']);
  });
});

describe('Meta signatures', () => {
  const send = (headers: Record<string, string>, raw: string) => fetch(hook('messenger', ms.id), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });

  it('accepts the legacy X-Hub-Signature (SHA-1) alone, refuses a wrong one, and never lets it stand in for a wrong SHA-256', async () => {
    const raw = metaJson(messengerBatch(PAGE_ID, [messengerReferralItem(`${Date.now()}81`)]));
    expect((await send({ 'x-hub-signature': metaSignature(MS_SECRET, raw, 'sha1') }, raw)).status).toBe(200);
    const wrong = await send({ 'x-hub-signature': metaSignature('another-secret', raw, 'sha1') }, raw);
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.field).toBe('x-hub-signature');
    const both = await send({ 'x-hub-signature-256': metaSignature('another-secret', raw), 'x-hub-signature': metaSignature(MS_SECRET, raw, 'sha1') }, raw);
    expect(both.status).toBe(403);
    expect((await send({}, raw)).status).toBe(401);
  });
});
