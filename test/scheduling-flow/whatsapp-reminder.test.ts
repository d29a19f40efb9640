/**
 * The reminder exchange over WhatsApp on the real stack (fake Graph API): a contact chatting with
 * a flow is booked, gets the confirmation and a reminder on WhatsApp, answers "C", and the
 * appointment (not the flow) takes that answer; the next message is the flow's again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tenantEm } from '../../db/orm';
import { updateTenantSettings } from '../../db/repos';
import { findSlots } from '../../scheduling/service';
import { whatsappText } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { bookableCatalog } from './support';

const PHONE_ID = '106540352242977';
const SECRET = 'wa-app-secret';
let bench: ChannelBench;
let hook: string;

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-wa-token' });
  const channel = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-wa-token', appSecret: SECRET, verifyToken: 'wa-verify' }, settings: { phoneNumberId: PHONE_ID } });
  hook = `${bench.stack.url}/v1/webhooks/whatsapp/${channel.id}`;
}, 120_000);
afterAll(async () => bench?.close());

const phone = `1555${String(Date.now()).slice(-7)}`;
const say = (text: string) => bench.graph.post(hook, SECRET, whatsappText({ phoneNumberId: PHONE_ID, from: phone, name: 'Ada' }, text));
const sent = () => bench.graph.sent.filter((m) => m.body.to === phone).map((m) => String(m.body.text?.body ?? ''));
const until = (what: string, check: () => boolean | Promise<boolean>) => waitUntil(check, 30_000, what);

it('reminds on WhatsApp and takes the contact’s "C" for the appointment, not the flow', async () => {
  await say('hi');
  await until('the flow’s question', () => sent().includes('Hello! What is your name?'));
  const [conversation] = await bench.rows<{ id: string; contact_id: string }>(`select c.id, c.contact_id from conversations c join contacts k on k.id = c.contact_id where k.external_id = $1`, [`+${phone}`]);

  const { service } = await bookableCatalog(bench.stack.orm, bench.tenantId, 'UTC');
  const em = tenantEm(bench.stack.orm, bench.tenantId);
  const [slot] = await findSlots(em, bench.tenantId, { serviceId: service.id, from: new Date().toISOString(), to: new Date(Date.now() + 3 * 86_400_000).toISOString(), limit: 1 });
  // One reminder, due a few seconds after the booking; no quiet hours, so it goes whatever the hour.
  const beforeMinutes = (Date.parse(slot.startsAt) - Date.now() - 8_000) / 60_000;
  await updateTenantSettings(em, bench.tenantId, { appointments: { remindersBeforeMinutes: [beforeMinutes], quietHours: null } });
  // The worker caches tenant rows for 5 s.
  await new Promise((r) => setTimeout(r, 5_500));

  const booked = await bench.stack.request('POST', '/v1/appointments', {
    apiKey: bench.apiKey,
    body: { serviceId: service.id, startsAt: slot.startsAt, conversationId: conversation.id, contactId: conversation.contact_id, channel: 'whatsapp', customer: { name: 'Ada', phone: `+${phone}`, timezone: 'UTC' } },
  });
  expect(booked.status).toBe(201);
  await until('the confirmation on WhatsApp', () => sent().some((t) => t.startsWith('Hi Ada, your Haircut is booked for')));
  await until('the reminder on WhatsApp', () => sent().some((t) => t.startsWith('Reminder: Haircut on') && t.endsWith('Reply C to confirm or R to reschedule.')));

  await say('C');
  await until('the appointment’s thanks', () => sent().some((t) => t.startsWith('Thank you, your Haircut on')));
  const [row] = await bench.rows<{ status: string }>(`select status from appointments where id = $1`, [booked.body.id]);
  expect(row.status).toBe('confirmed');
  expect(sent()).not.toContain('Nice to meet you, C!');

  // The flow still waits on its question: the next message is its answer.
  await say('Ada');
  await until('the flow’s greeting', () => sent().includes('Nice to meet you, Ada!'));
  // Every message is in the one conversation's transcript, the contact's "C" included.
  const texts = (await bench.rows<{ text: string }>(`select text from messages where conversation_id = $1 order by created_at, id`, [conversation.id])).map((m) => m.text);
  expect(texts.filter((t) => t === 'C')).toHaveLength(1);
});
