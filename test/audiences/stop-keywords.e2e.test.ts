/**
 * Opt-out keywords end to end on the real stack: SMS through the fake Twilio and WhatsApp through
 * the fake Graph API → inbound log → worker → conversation workflow → recordInbound. A keyword
 * changes the contact's consent on that channel, is confirmed once (not when Twilio already
 * answered), and never reaches the flow; the contact is the one the tenant already had by phone.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { whatsappText } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';
import { waitForQuiescence } from '../support/quiescence';

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const FROM = '+15005550006';
const PHONE_ID = '106540352242933';
const SECRET = 'wa-app-secret';
let bench: ChannelBench;
let twilio: FakeTwilio;
let sms: { id: string; webhookUrl: string };
let whatsapp: { id: string; webhookUrl: string };

beforeAll(async () => {
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  bench = await startChannelBench();
  sms = await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: FROM, apiBaseUrl: twilio.url } });
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-wa-token' });
  whatsapp = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-wa-token', appSecret: SECRET, verifyToken: 'wa-verify' }, settings: { phoneNumberId: PHONE_ID } });
});
afterAll(async () => {
  await bench?.close();
  await twilio?.close();
});

let phones = 0;
const newPhone = () => `+1555${String(Date.now()).slice(-5)}${String(++phones).padStart(2, '0')}`;
const smsIn = (from: string, body: string, extra: Record<string, string> = {}) => twilio.sendInbound(sms.webhookUrl, TOKEN, { To: FROM, From: from, Body: body, ...extra });
const smsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone).map((m) => m.body);
const waIn = (from: string, body: string) => bench.graph.post(`${bench.stack.url}/v1/webhooks/whatsapp/${whatsapp.id}`, SECRET, whatsappText({ phoneNumberId: PHONE_ID, from: from.slice(1) }, body));
const waTo = (phone: string) => bench.graph.sent.filter((m) => m.body.to === phone.slice(1)).map((m) => m.body.text?.body);
const consent = async (contactId: string) =>
  Object.fromEntries((await bench.rows(`select channel, status, method from contact_consents where contact_id = $1`, [contactId])).map((r) => [r.channel, `${r.status}/${r.method}`]));

/** A contact the tenant already had (made by email, so its own id on a channel is not the phone). */
async function knownContact(phone: string): Promise<string> {
  const [row] = await bench.rows(
    `insert into contacts (tenant_id, channel, external_id, email, phone, locale) values ($1, 'email', $2, $2, $3, null) returning id`,
    [bench.tenantId, `${phone.slice(1)}@example.com`, phone],
  );
  await bench.rows(`insert into contact_consents (tenant_id, contact_id, channel, status, method, opted_in_at) values ($1, $2, 'sms', 'opted_in', 'import', now()), ($1, $2, 'whatsapp', 'opted_in', 'import', now())`, [bench.tenantId, row.id]);
  return row.id;
}

describe('STOP and START on SMS', () => {
  it('lands on the known contact, opts out on STOP with one confirmation, back in on START, and the flow never sees either', async () => {
    const phone = newPhone();
    const id = await knownContact(phone);
    await smsIn(phone, 'hi');
    await waitUntil(() => smsTo(phone).length >= 1, 20_000, 'greeting');
    const [conv] = await bench.rows(`select contact_id from conversations where channel_id = $1 and thread_key = $2`, [sms.id, phone]);
    expect(conv.contact_id).toBe(id);
    const [seen] = await bench.rows(`select last_seen_at from contacts where id = $1`, [id]);
    expect(seen.last_seen_at).toBeTruthy();

    await smsIn(phone, ' Stop ');
    await waitUntil(() => smsTo(phone).length >= 2, 20_000, 'opt-out confirmation');
    expect(await consent(id)).toEqual({ sms: 'opted_out/keyword', whatsapp: 'opted_in/import' });
    await smsIn(phone, 'START');
    await waitUntil(() => smsTo(phone).length >= 3, 20_000, 'opt-in confirmation');
    expect(await consent(id)).toMatchObject({ sms: 'opted_in/keyword' });
    await waitForQuiescence(bench.stack);
    expect(smsTo(phone)).toEqual([
      'Hello! What is your name?',
      "You're unsubscribed and will receive no more messages from us. Reply START to subscribe again.",
      "You're subscribed again. Reply STOP to unsubscribe.",
    ]);
    // The pending question is still pending: the next message answers it.
    await smsIn(phone, 'Ada');
    await waitUntil(() => smsTo(phone).length >= 4, 20_000, 'the flow answers');
    expect(smsTo(phone)[3]).toBe('Nice to meet you, Ada!');
  });

  it("records Twilio's own STOP handling (OptOutType) without replying a second time", async () => {
    const phone = newPhone();
    const id = await knownContact(phone);
    await smsIn(phone, 'STOP', { OptOutType: 'STOP' });
    await waitUntil(async () => (await consent(id)).sms === 'opted_out/provider', 20_000, 'provider opt-out recorded');
    await waitForQuiescence(bench.stack);
    expect(smsTo(phone)).toEqual([]);
  });

  it('treats "yes" from a contact who never opted out as an ordinary answer', async () => {
    const phone = newPhone();
    const id = await knownContact(phone);
    await smsIn(phone, 'hello');
    await waitUntil(() => smsTo(phone).length >= 1, 20_000, 'greeting');
    await smsIn(phone, 'Yes');
    await waitUntil(() => smsTo(phone).length >= 2, 20_000, 'the flow answers');
    expect(smsTo(phone)[1]).toBe('Nice to meet you, Yes!');
    expect(await consent(id)).toMatchObject({ sms: 'opted_in/import' });
  });
});

describe('opt-out keywords on WhatsApp', () => {
  it("opts out of WhatsApp only, confirming in the keyword's language", async () => {
    const phone = newPhone();
    const id = await knownContact(phone);
    await waIn(phone, 'BAJA');
    await waitUntil(() => waTo(phone).length >= 1, 20_000, 'confirmation');
    expect(waTo(phone)).toEqual(['Te has dado de baja y no recibirás más mensajes nuestros. Responde START para volver a suscribirte.']);
    expect(await consent(id)).toEqual({ sms: 'opted_in/import', whatsapp: 'opted_out/keyword' });
    const [conv] = await bench.rows(`select contact_id from conversations where channel_id = $1`, [whatsapp.id]);
    expect(conv.contact_id).toBe(id);
  });
});
