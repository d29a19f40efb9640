/**
 * Postmark Inbound on an email channel (`inboundProvider: 'postmark'`): Postmark's JSON, shaped as
 * its inbound webhook documents it, through the webhook route to the stored message (threading,
 * stripped quote, attachment, subject); basic auth in the URL checked (401 naming what failed);
 * another tenant's channel refuses this channel's credentials; a bad setting is a 400 naming it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChannel, startChannelBench, transcript, type ChannelBench } from './support';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { waitUntil } from '../support/wait';

const DESK = 'desk@clinic.example';
const SECRET = randomBytes(32).toString('hex');
const OTHER_SECRET = randomBytes(32).toString('hex');
let bench: ChannelBench;
let smtp: FakeSmtp;
let channel: { id: string; webhookUrl: string };
let otherTenantChannel: { id: string; webhookUrl: string };

const emailBody = (secret: string, extra: Record<string, unknown> = {}) => ({
  credentials: { smtpUser: 'desk', smtpPass: 'smtp-password', inboundSigningSecret: secret },
  settings: { fromAddress: DESK, smtpHost: '127.0.0.1', smtpPort: smtp.port, inboundProvider: 'postmark', ...extra },
});

beforeAll(async () => {
  smtp = await startFakeSmtp({ user: 'desk', pass: 'smtp-password' });
  bench = await startChannelBench();
  channel = await bench.channel('email', emailBody(SECRET));
  const other = await bench.stack.createTenant();
  otherTenantChannel = await connectChannel(bench.stack, other.apiKey, 'email', emailBody(OTHER_SECRET));
});
afterAll(async () => {
  await bench?.close();
  await smtp?.close();
});

/** An inbound post as Postmark documents it (https://postmarkapp.com/developer/webhooks/inbound-webhook). */
function postmarkPayload(from: string, opts: { messageId: string; subject: string; text: string; inReplyTo?: string; attachment?: Buffer }) {
  return {
    FromName: 'Grace Hopper',
    MessageStream: 'inbound',
    From: from,
    FromFull: { Email: from, Name: 'Grace Hopper', MailboxHash: '' },
    To: `"Clinic Desk" <${DESK}>`,
    ToFull: [{ Email: DESK, Name: 'Clinic Desk', MailboxHash: '' }],
    Cc: '',
    CcFull: [],
    Bcc: '',
    BccFull: [],
    OriginalRecipient: DESK,
    Subject: opts.subject,
    MessageID: '73e6d360-66eb-11e1-8e72-a8904824019b',
    ReplyTo: '',
    MailboxHash: '',
    Date: 'Fri, 1 Aug 2026 16:45:32 -04:00',
    TextBody: opts.text,
    HtmlBody: `<p>${opts.text.split('\n')[0]}</p>`,
    StrippedTextReply: opts.text.split('\n')[0],
    Tag: '',
    Headers: [
      { Name: 'X-Spam-Status', Value: 'No' },
      { Name: 'Message-ID', Value: opts.messageId },
      ...(opts.inReplyTo ? [{ Name: 'In-Reply-To', Value: opts.inReplyTo }, { Name: 'References', Value: opts.inReplyTo }] : []),
    ],
    Attachments: opts.attachment ? [{ Name: 'referral.pdf', Content: opts.attachment.toString('base64'), ContentType: 'application/pdf', ContentLength: opts.attachment.length }] : [],
  };
}

async function post(url: string, body: unknown, auth: string | null) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe('Postmark Inbound', () => {
  it('stores a Postmark post as the email it carries: text without the quote, subject, attachment, thread', async () => {
    const contact = `grace${Date.now().toString(36)}@example.org`;
    const first = postmarkPayload(contact, {
      messageId: `<first.${Date.now()}@example.org>`,
      subject: 'Referral letter',
      text: 'Here is my referral.\n\nOn Mon, Clinic Desk wrote:\n> Please send the letter',
      attachment: Buffer.from('%PDF-1.4 referral'),
    });
    expect((await post(channel.webhookUrl, first, `postmark:${SECRET}`)).status).toBe(200);
    await waitUntil(async () => (await transcript(bench, channel.id)).some((m) => m.direction === 'out'), 20_000, 'the flow answered');
    const [message] = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in');
    expect(message.text).toBe('Here is my referral.');
    expect(message.metadata).toMatchObject({ subject: 'Referral letter', messageId: first.Headers[1].Value, attachments: [{ status: 'stored', name: 'referral.pdf', contentType: 'application/pdf' }] });
    const [asset] = await bench.rows(`select content from media_assets where channel_id = $1`, [channel.id]);
    expect(asset.content.toString()).toBe('%PDF-1.4 referral');

    // A reply naming the first message threads into the same conversation.
    const reply = postmarkPayload(contact, { messageId: `<second.${Date.now()}@example.org>`, subject: 'Re: Referral letter', text: 'Any news?', inReplyTo: first.Headers[1].Value });
    expect((await post(channel.webhookUrl, reply, `postmark:${SECRET}`)).status).toBe(200);
    await waitUntil(async () => (await transcript(bench, channel.id)).filter((m) => m.direction === 'in').length === 2, 20_000, 'the reply stored');
    const conversations = new Set((await transcript(bench, channel.id)).map((m) => m.conversation_id));
    expect(conversations.size).toBe(1);
  });

  it('refuses a post without basic auth, with another user or another password (401 naming the header); records nothing', async () => {
    const body = postmarkPayload('mallory@example.org', { messageId: '<forged@example.org>', subject: 'Hi', text: 'Hi' });
    for (const auth of [null, `admin:${SECRET}`, `postmark:${OTHER_SECRET}`]) {
      const res = await post(channel.webhookUrl, body, auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.body).toMatchObject({ error: expect.objectContaining({ field: 'authorization' }) });
    }
    expect(await bench.rows(`select 1 from inbound_messages where channel_id = $1 and payload::text like '%forged@example.org%'`, [channel.id])).toEqual([]);
  });

  it("another tenant's channel refuses this channel's credentials and takes its own", async () => {
    const body = postmarkPayload('carol@example.org', { messageId: `<cross.${Date.now()}@example.org>`, subject: 'Hello', text: 'Hello' });
    expect((await post(otherTenantChannel.webhookUrl, body, `postmark:${SECRET}`)).status).toBe(401);
    expect((await post(otherTenantChannel.webhookUrl, body, `postmark:${OTHER_SECRET}`)).status).toBe(200);
    expect(await bench.rows(`select 1 from inbound_messages where channel_id = $1`, [otherTenantChannel.id])).toHaveLength(1);
  });

  it('refuses a malformed post (400 naming the field) and an unknown provider setting (400 naming inboundProvider)', async () => {
    const res = await post(channel.webhookUrl, { Subject: 'no sender', MessageID: 'x' }, `postmark:${SECRET}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: expect.objectContaining({ field: 'FromFull' }) });
    const bad = await bench.stack.request('PATCH', `/v1/channels/${channel.id}`, { apiKey: bench.apiKey, body: { settings: { fromAddress: DESK, smtpHost: '127.0.0.1', inboundProvider: 'sparkpost' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('inboundProvider');
  });
});
