/**
 * SMS and email messages that used to vanish, end to end on the real stack: an MMS whose Body is
 * empty, WhatsApp-over-Twilio ad referrals, Twilio's JSON-body webhooks signed through
 * `bodySHA256`, and emails with no body (attachment only, subject only). Each reaches the flow
 * (its reply names the kind and, for email, the subject) and the API's message.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../channels/twilio/signature';
import { filesSettled, kindFlow, startChannelBench, type ChannelBench } from './support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { composeEmail, postInboundEmail } from '../channels-email/support';
import { waitUntil } from '../support/wait';

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const FROM = '+15005550006';
const SECRET = randomBytes(32).toString('hex');
const DESK = 'desk@clinic.example';
let bench: ChannelBench;
let twilio: FakeTwilio;
let smtp: FakeSmtp;
let sms: { id: string; webhookUrl: string };
let email: { id: string; webhookUrl: string };

beforeAll(async () => {
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  smtp = await startFakeSmtp({ user: 'desk', pass: 'smtp-password' });
  bench = await startChannelBench();
  sms = await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: FROM, apiBaseUrl: twilio.url } }, kindFlow);
  email = await bench.channel(
    'email',
    { credentials: { smtpUser: 'desk', smtpPass: 'smtp-password', inboundSigningSecret: SECRET }, settings: { fromAddress: DESK, smtpHost: '127.0.0.1', smtpPort: smtp.port } },
    kindFlow,
  );
});
afterAll(async () => {
  await bench?.close();
  await twilio?.close();
  await smtp?.close();
});

let phones = 0;
const newPhone = () => `+1555${String(Date.now()).slice(-5)}${String(++phones).padStart(2, '0')}`;
const smsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone).map((m) => m.body);
const mailTo = (address: string) => smtp.messages.filter((m) => m.envelope.to.includes(address));

async function apiMessagesOf(threadKey: string) {
  const [conv] = await bench.rows(`select id from conversations where thread_key = $1`, [threadKey]);
  const res = await bench.stack.request('GET', `/v1/conversations/${conv.id}/messages`, { apiKey: bench.apiKey });
  return res.body.messages as any[];
}

describe('Twilio', () => {
  it('takes an MMS whose Body is empty: the media is the message', async () => {
    const phone = newPhone();
    const url = twilio.addMedia(ACCOUNT, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9]), 'image/jpeg');
    const res = await twilio.sendInbound(sms.webhookUrl, TOKEN, { From: phone, To: FROM, Body: '', NumMedia: '1', MediaUrl0: url, MediaContentType0: 'image/jpeg' });
    expect(res.status).toBe(200);
    await waitUntil(() => smsTo(phone).length === 1, 20_000, 'MMS answered');
    expect(smsTo(phone)).toEqual(['Got image']);
    await filesSettled(bench, sms.id);
    const [message] = (await apiMessagesOf(phone)).filter((m) => m.direction === 'in');
    expect(message).toMatchObject({ kind: 'image', text: '[image]', attachments: [{ contentType: 'image/jpeg', size: 5, url: expect.stringContaining('/v1/widget/files/') }] });
  });

  it('keeps the Referral* fields of a click-to-WhatsApp ad', async () => {
    const phone = `whatsapp:${newPhone()}`;
    await twilio.sendInbound(sms.webhookUrl, TOKEN, {
      From: phone,
      To: `whatsapp:${FROM}`,
      Body: 'Hi, I saw your ad',
      ProfileName: 'Kai',
      WaId: phone.slice(10),
      ReferralSourceId: '120210000000000001',
      ReferralSourceType: 'ad',
      ReferralSourceUrl: 'https://fb.me/ad-link',
      ReferralHeadline: 'Spring cleaning',
      ReferralBody: 'Two cleanings for one',
      ReferralCtwaClid: 'ARAkLkA8rmlFeiCk',
      ReferralNumMedia: '0',
    });
    // The fake Messages API sends SMS only, so the stored message is what is checked here.
    await waitUntil(async () => (await bench.rows(`select 1 from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'in'`, [phone])).length === 1, 20_000, 'referral stored');
    const [message] = (await apiMessagesOf(phone)).filter((m) => m.direction === 'in');
    expect(message).toMatchObject({ kind: 'text', referral: { source: 'ad', sourceId: '120210000000000001', sourceType: 'ad', sourceUrl: 'https://fb.me/ad-link', headline: 'Spring cleaning', body: 'Two cleanings for one', clickId: 'ARAkLkA8rmlFeiCk' } });
  });

  it('verifies JSON-body webhooks as the Twilio libraries do: the URL with bodySHA256 signed, then the body hash', async () => {
    const phone = newPhone();
    const body = JSON.stringify({ MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: ACCOUNT, From: phone, To: FROM, Body: 'json hello', NumMedia: '0' });
    const hash = createHash('sha256').update(body).digest('hex');
    const url = `${sms.webhookUrl}?bodySHA256=${hash}`;
    const send = (target: string, signature: string, raw = body) =>
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, body: raw });

    // Another body under the same signed URL: the hash gives it away.
    expect((await send(url, twilioSignature(TOKEN, url, {}), body.replace('json hello', 'tampered'))).status).toBe(403);
    // A URL signed with another token.
    expect((await send(url, twilioSignature('0'.repeat(32), url, {}))).status).toBe(403);
    const ok = await send(url, twilioSignature(TOKEN, url, {}));
    expect(ok.status).toBe(200);
    await waitUntil(() => smsTo(phone).length === 1, 20_000, 'JSON webhook answered');
    expect(smsTo(phone)).toEqual(['Got text']);
  });
});

describe('Email without a body', () => {
  it('runs the flow on an attachment-only message and on a subject-only one; the subject is a variable either way', async () => {
    const contact = `patient${Date.now().toString(36)}@example.org`;
    const attachmentOnly = await composeEmail({
      from: contact,
      to: DESK,
      subject: 'X-ray from last week',
      attachments: [{ filename: 'xray.png', content: Buffer.from('89504e470d0a1a0a00', 'hex'), contentType: 'image/png' }],
    });
    expect((await postInboundEmail(email.webhookUrl, SECRET, attachmentOnly)).status).toBe(200);
    await waitUntil(() => mailTo(contact).length === 1, 20_000, 'attachment-only email answered');
    expect(mailTo(contact)[0].parsed.text).toContain('Got image (X-ray from last week)');

    const other = `patient2${Date.now().toString(36)}@example.org`;
    const subjectOnly = await composeEmail({ from: other, to: DESK, subject: 'Please call me back', text: '' });
    await postInboundEmail(email.webhookUrl, SECRET, subjectOnly);
    await waitUntil(() => mailTo(other).length === 1, 20_000, 'subject-only email answered');
    expect(mailTo(other)[0].parsed.text).toContain('Got text (Please call me back)');

    const [conv] = await bench.rows(`select thread_key from conversations where channel_id = $1 and contact_id = (select id from contacts where external_id = $2)`, [email.id, contact]);
    const messages = await apiMessagesOf(conv.thread_key);
    expect(messages[0]).toMatchObject({
      kind: 'image',
      text: 'X-ray from last week',
      attachments: [{ name: 'xray.png', contentType: 'image/png', size: 9 }],
      email: { subject: 'X-ray from last week', to: [DESK] },
    });
    // The reply went out over SMTP and says so.
    await waitUntil(async () => (await apiMessagesOf(conv.thread_key))[1]?.delivery?.status === 'sent');
  });
});
