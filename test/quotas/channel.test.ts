/**
 * A channel message over the tenant's messages-per-minute quota (WhatsApp end to end, on the real
 * stack): it is stored like any other and never lost, the flow makes no turn for it, and the contact
 * gets one notice per window, in their language when their locale is known.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { busyNotice, QUOTA_HOLD_KEY } from '../../core/quotas';
import { startChannelBench, transcript, type ChannelBench } from '../channels/support';
import { whatsappText } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';

const PHONE_ID = '106540352249999';
const SECRET = 'wa-quota-secret';
let bench: ChannelBench;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  // The configured default (no operator override): two messages a minute per tenant.
  bench = await startChannelBench({ QUOTA_MESSAGES_PER_MINUTE: '2' });
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-quota' });
  channel = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-quota', appSecret: SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID } });
}, 120_000);
afterAll(async () => bench?.close());

const phone = `1555${String(Date.now()).slice(-7)}`;
const post = (text: string) => bench.graph.post(`${bench.stack.url}/v1/webhooks/whatsapp/${channel.id}`, SECRET, whatsappText({ phoneNumberId: PHONE_ID, from: phone, name: 'Ana' }, text));
const sent = () => bench.graph.sent.filter((m) => m.body.to === phone).map((m) => m.body.text?.body);
const inbound = async () => (await transcript(bench, channel.id)).filter((m) => m.direction === 'in');

it('stores the message, makes no turn, and sends one localized notice per window', async () => {
  expect((await post('hi')).status).toBe(200);
  await waitUntil(() => sent().length === 1, 20_000, 'the first reply');
  expect((await post('Ana')).status).toBe(200);
  await waitUntil(() => sent().length === 2, 20_000, 'the second reply');
  expect(sent()).toEqual(['Hello! What is your name?', 'Nice to meet you, Ana!']);

  // The contact's locale picks the notice's language.
  await bench.rows(`update contacts set locale = 'es-MX' where phone = $1`, [`+${phone}`]);
  expect((await post('¿sigue ahí?')).status).toBe(200);
  await waitUntil(() => sent().length === 3, 20_000, 'the quota notice');
  expect(sent()[2]).toBe(busyNotice('es'));

  expect((await post('hola otra vez')).status).toBe(200);
  await waitUntil(async () => (await inbound()).length === 4, 20_000, 'the fourth message stored');
  const messages = await inbound();
  expect(messages.map((m) => m.text)).toEqual(['hi', 'Ana', '¿sigue ahí?', 'hola otra vez']);
  expect(messages.slice(2).map((m) => m.metadata[QUOTA_HOLD_KEY]?.quota)).toEqual(['messages_per_minute', 'messages_per_minute']);
  expect(messages[0].metadata[QUOTA_HOLD_KEY]).toBeUndefined();
  // No turn and no second notice for the fourth: give a reply the time it would need.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(sent()).toHaveLength(3);
  const rows = await bench.rows(`select count(*)::int as n from inbound_messages where channel_id = $1 and status = 'dispatched'`, [channel.id]);
  expect(rows[0].n).toBe(4);
}, 90_000);
