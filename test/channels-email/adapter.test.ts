import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailAdapter as buildEmailAdapter, emailCredentialsSchema, emailSettingsSchema, htmlOf, type EmailCredentials, type EmailSettings } from '../../channels/email/adapter';
import { signInboundEmail, verifyInboundEmail } from '../../channels/email/signature';
import { replySubject } from '../../channels/email/threading';
import { ProviderError, type ChannelConfig, type InboundEvent, type InboundRequest, type SendContext } from '../../channels/types';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { composeEmail } from './support';
import { adapterEnv } from '../../channels/registry';
import { loadConfig } from '../../core/config';

// The test setup's operator allow-list (vitest.config.ts) lets the adapter reach the local fakes.
const emailAdapter = buildEmailAdapter(adapterEnv(loadConfig({ OUTBOUND_ALLOWED_PRIVATE: process.env.OUTBOUND_ALLOWED_PRIVATE })));

const secret = randomBytes(32).toString('hex');
let smtp: FakeSmtp;

const channel = (settings: Partial<EmailSettings> = {}, credentials: Partial<EmailCredentials> = {}): ChannelConfig<EmailCredentials, EmailSettings> => ({
  id: 'ch-email',
  tenantId: 't1',
  type: 'email',
  name: 'Front desk',
  credentials: { smtpUser: 'desk', smtpPass: 'hunter22', inboundSigningSecret: secret, ...credentials },
  settings: { fromAddress: 'desk@hotel.example', fromName: 'Front desk', smtpHost: '127.0.0.1', smtpPort: smtp.port, ...settings },
  webhookUrl: 'https://switchboard.example/v1/webhooks/email/ch-email',
});

const context = (over: Partial<SendContext> = {}): SendContext => ({
  idempotencyKey: `conv:t1:c1:0:1:reply:${randomBytes(3).toString('hex')}`,
  contactAddress: 'ada@example.org',
  thread: {},
  lastInboundAt: null,
  ...over,
});

function inbound(raw: Buffer, opts: { timestamp?: number; signature?: string; contentType?: string } = {}): InboundRequest {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    method: 'POST',
    url: channel().webhookUrl,
    headers: {
      'content-type': opts.contentType ?? 'message/rfc822',
      'x-switchboard-timestamp': String(timestamp),
      'x-switchboard-signature': opts.signature ?? signInboundEmail(secret, timestamp, raw),
    },
    query: {},
    rawBody: raw,
  };
}

async function parseOne(raw: Buffer): Promise<Extract<InboundEvent, { kind: 'message' }>> {
  const events = (await emailAdapter.parse(inbound(raw), channel())) as InboundEvent[];
  expect(events).toHaveLength(1);
  return events[0] as Extract<InboundEvent, { kind: 'message' }>;
}

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const quotedReply = [
  'Yes, Tuesday at 7 works for us.',
  '',
  'On Mon, Nov 23, 2026 at 10:00 AM Front desk <desk@hotel.example> wrote:',
  '> When would you like to come?',
  '> Reply with a day.',
  '',
].join('\n');

beforeAll(async () => {
  smtp = await startFakeSmtp({ user: 'desk', pass: 'hunter22' });
});
afterAll(() => smtp.close());

describe('signed inbound email', () => {
  it('accepts the signed message and refuses missing, forged, stale and future signatures', async () => {
    const raw = await composeEmail({ from: 'ada@example.org', to: 'desk@hotel.example', subject: 'Hi', text: 'Hello' });
    const now = Math.floor(Date.now() / 1000);
    expect(() => emailAdapter.verify(inbound(raw), channel())).not.toThrow();

    const unsigned = inbound(raw);
    delete unsigned.headers['x-switchboard-signature'];
    expect(() => emailAdapter.verify(unsigned, channel())).toThrow(expect.objectContaining({ code: 'unauthorized', status: 401, field: 'x-switchboard-signature' }));
    const tampered = { ...inbound(raw), rawBody: Buffer.concat([raw, Buffer.from('P.S. transfer the money')]) };
    expect(() => emailAdapter.verify(tampered, channel())).toThrow(expect.objectContaining({ code: 'unauthorized', message: 'the signature does not match this channel' }));
    const otherSecret = inbound(raw, { signature: signInboundEmail(randomBytes(32).toString('hex'), now, raw) });
    expect(() => emailAdapter.verify(otherSecret, channel())).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    // A genuine signature captured six minutes ago is a replay: refused even though the MAC is right.
    const stale = inbound(raw, { timestamp: now - 360 });
    expect(() => emailAdapter.verify(stale, channel())).toThrow(expect.objectContaining({ code: 'unauthorized', field: 'x-switchboard-timestamp' }));
    expect(() => emailAdapter.verify(inbound(raw, { timestamp: now + 360 }), channel())).toThrow(expect.objectContaining({ field: 'x-switchboard-timestamp' }));
    // Inside the window it passes (the per-channel Message-ID dedupe catches an in-window replay).
    expect(() => verifyInboundEmail(inbound(raw, { timestamp: now - 240 }), secret)).not.toThrow();
    // Re-dating a capture breaks the MAC, because the timestamp is signed.
    const redated = inbound(raw, { timestamp: now, signature: signInboundEmail(secret, now - 360, raw) });
    expect(() => emailAdapter.verify(redated, channel())).toThrow(expect.objectContaining({ message: 'the signature does not match this channel' }));
  });
});

describe('inbound parsing', () => {
  it('strips the quoted history and keeps the thread, HTML and attachments', async () => {
    const raw = await composeEmail({
      from: 'Ada Lovelace <Ada@Example.org>',
      to: 'desk@hotel.example',
      subject: 'Re: Your booking',
      messageId: '<m2@example.org>',
      inReplyTo: '<r1@hotel.example>',
      references: ['<m1@example.org>', '<r1@hotel.example>'],
      date: new Date('2026-11-23T10:05:00Z'),
      text: quotedReply,
      html: '<p>Yes, Tuesday at 7 works for us.</p><blockquote>When would you like to come?</blockquote>',
      attachments: [{ filename: 'menu.pdf', content: Buffer.from('%PDF-1.4 menu'), contentType: 'application/pdf' }],
    });
    const event = await parseOne(raw);
    expect(event).toMatchObject({
      externalId: '<m2@example.org>',
      contactAddress: 'ada@example.org',
      contactName: 'Ada Lovelace',
      threadKey: '<m1@example.org>',
      thread: { subject: 'Re: Your booking', references: ['<m1@example.org>', '<r1@hotel.example>', '<m2@example.org>'], lastMessageId: '<m2@example.org>' },
      message: {
        channel: 'email',
        externalId: '<m2@example.org>',
        text: 'Yes, Tuesday at 7 works for us.',
        sentAt: '2026-11-23T10:05:00.000Z',
        contact: { email: 'ada@example.org', name: 'Ada Lovelace' },
      },
      metadata: { subject: 'Re: Your booking', messageId: '<m2@example.org>', to: ['desk@hotel.example'] },
    });
    expect((event.metadata as { html: string }).html).toContain('<blockquote>');
    expect(event.message.attachments).toEqual([{ kind: 'inline', data: Buffer.from('%PDF-1.4 menu'), contentType: 'application/pdf', name: 'menu.pdf' }]);
  });

  it('roots a thread at In-Reply-To without References, or at the message itself', async () => {
    const answer = await parseOne(await composeEmail({ from: 'a@example.org', to: 'desk@hotel.example', subject: 'x', text: 'y', messageId: '<b@x>', inReplyTo: '<a@x>' }));
    expect(answer.threadKey).toBe('<a@x>');
    const fresh = await parseOne(await composeEmail({ from: 'a@example.org', to: 'desk@hotel.example', subject: 'x', text: 'y', messageId: '<c@x>' }));
    expect(fresh).toMatchObject({ threadKey: '<c@x>', thread: { references: ['<c@x>'], lastMessageId: '<c@x>' } });
  });

  it('reads HTML-only mail as text', async () => {
    const event = await parseOne(await composeEmail({ from: 'a@example.org', to: 'desk@hotel.example', subject: 'x', html: '<p>Do you have <b>parking</b>?</p>' }));
    expect(event.message.text).toBe('Do you have parking?');
  });

  it('ignores auto-replies so two robots never talk forever', async () => {
    const raw = await composeEmail({ from: 'a@example.org', to: 'desk@hotel.example', subject: 'Out of office', text: 'Back Monday', headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(await emailAdapter.parse(inbound(raw), channel())).toEqual([]);
  });

  it('names what is wrong with a malformed post', async () => {
    const noFrom = await composeEmail({ to: 'desk@hotel.example', subject: 'x', text: 'y' });
    await expect(emailAdapter.parse(inbound(noFrom), channel())).rejects.toMatchObject({ code: 'bad_request', field: 'from', message: 'the message has no From address' });
    await expect(emailAdapter.parse(inbound(Buffer.alloc(0)), channel())).rejects.toMatchObject({ code: 'bad_request', field: 'body' });
    await expect(emailAdapter.parse(inbound(Buffer.from('not an email at all')), channel())).rejects.toMatchObject({ field: 'from' });
    await expect(emailAdapter.parse(inbound(noFrom, { contentType: 'application/json' }), channel())).rejects.toMatchObject({ code: 'unsupported_media_type', status: 415, field: 'content-type' });
  });
});

describe('SMTP sends', () => {
  it('threads the reply under the contact message with a deterministic Message-ID', async () => {
    const thread = { subject: 'Re: Your booking', references: ['<m1@example.org>', '<r1@hotel.example>', '<m2@example.org>'], lastMessageId: '<m2@example.org>' };
    const ctx = context({ thread });
    const result = await emailAdapter.send(channel(), { text: 'See you Tuesday!\n\nDirections: https://hotel.example/map' }, ctx);
    const [mail] = await smtp.waitFor(1);
    expect(result.providerMessageId).toMatch(/^<[0-9a-f]{32}@hotel\.example>$/);
    expect(mail.messageId).toBe(result.providerMessageId);
    expect(mail.envelope).toEqual({ from: 'desk@hotel.example', to: ['ada@example.org'] });
    expect(mail.subject).toBe('Re: Your booking');
    expect(mail.inReplyTo).toBe('<m2@example.org>');
    expect(mail.references).toEqual(thread.references);
    expect(mail.parsed.from!.value[0]).toEqual({ address: 'desk@hotel.example', name: 'Front desk' });
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.parsed.text!.trim()).toBe('See you Tuesday!\n\nDirections: https://hotel.example/map');
    expect(mail.parsed.html).toContain('<p>See you Tuesday!</p><p>Directions: <a href="https://hotel.example/map">https://hotel.example/map</a></p>');
    expect(result.thread).toEqual({ references: [...thread.references, result.providerMessageId] });

    // A retried send of the same key carries the same Message-ID.
    const again = await emailAdapter.send(channel(), { text: 'See you Tuesday!' }, ctx);
    expect(again.providerMessageId).toBe(result.providerMessageId);
  });

  it("answers a whole conversation in one thread: the contact's reply to our reply keeps the root", async () => {
    const first = await parseOne(await composeEmail({ from: 'ada@example.org', to: 'desk@hotel.example', subject: 'Parking?', text: 'Do you have parking?', messageId: '<root@example.org>' }));
    const sent = await emailAdapter.send(channel(), { text: 'Yes, in the garage.' }, context({ thread: first.thread! }));
    const ours = smtp.messages.find((m) => m.messageId === sent.providerMessageId)!;
    expect(ours.subject).toBe('Re: Parking?');
    // The contact's mail client answers ours as clients do: In-Reply-To ours, References ours' + ours.
    const reply = await parseOne(
      await composeEmail({ from: 'ada@example.org', to: 'desk@hotel.example', subject: ours.subject, text: 'Is it free?', messageId: '<again@example.org>', inReplyTo: ours.messageId, references: [...ours.references, ours.messageId!] }),
    );
    expect(reply.threadKey).toBe(first.threadKey);
    expect(reply.thread).toEqual({ subject: 'Re: Parking?', references: ['<root@example.org>', sent.providerMessageId, '<again@example.org>'], lastMessageId: '<again@example.org>' });
  });

  it('renders options as numbered text and media as a link, with a default subject outside a thread', async () => {
    const before = smtp.messages.length;
    await emailAdapter.send(
      channel(),
      { text: 'Which room?', interactive: { type: 'list', options: [{ id: 's', title: 'Single' }, { id: 'd', title: 'Double' }] }, media: { url: 'https://cdn.example/rooms.pdf', contentType: 'application/pdf', name: 'Rooms' } },
      context(),
    );
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.subject).toBe('Front desk');
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.parsed.text!.trim()).toBe('Which room?\n\n1. Single\n2. Double\n\nRooms: https://cdn.example/rooms.pdf');
  });

  it('retries temporary SMTP failures and gives up on permanent ones', async () => {
    smtp.failNext({ code: 451, message: 'Try again later' }, { code: 550, message: 'No such user here' });
    expect(await rejection(emailAdapter.send(channel(), { text: 'x' }, context()))).toMatchObject({ retryable: true, opts: { status: 451 } });
    expect(await rejection(emailAdapter.send(channel(), { text: 'x' }, context()))).toMatchObject({ retryable: false, opts: { status: 550 } });
    const badAuth = await rejection(emailAdapter.send(channel({}, { smtpPass: 'wrong' }), { text: 'x' }, context()));
    expect(badAuth).toMatchObject({ retryable: false, opts: { status: 535, code: 'EAUTH' } });
    expect(badAuth.message).not.toContain('wrong');
    const port = await closedPort();
    expect(await rejection(emailAdapter.send(channel({ smtpPort: port }), { text: 'x' }, context()))).toMatchObject({ retryable: true });
  });

  it('tests the connection with the SMTP handshake', async () => {
    expect(await emailAdapter.testConnection(channel())).toEqual({ ok: true, detail: `127.0.0.1:${smtp.port} accepted the connection and the credentials` });
    const bad = await emailAdapter.testConnection(channel({}, { smtpPass: 'nope-nope' }));
    expect(bad.ok).toBe(false);
    expect(bad.detail).toContain('535');
  });
});

describe('email helpers and schemas', () => {
  it('prefixes subjects once and escapes HTML', () => {
    expect(replySubject('Booking')).toBe('Re: Booking');
    expect(replySubject('RE: Re: Aw: Booking')).toBe('Re: Booking');
    expect(htmlOf('a <b> & c')).toBe('<!doctype html><html><body><p>a &#60;b&#62; &#38; c</p></body></html>');
  });

  it('validates credentials and settings', () => {
    expect(emailCredentialsSchema.safeParse({ inboundSigningSecret: 'short' }).error!.issues[0].path).toEqual(['inboundSigningSecret']);
    expect(emailCredentialsSchema.safeParse({ smtpPass: 'x', inboundSigningSecret: secret }).error!.issues[0].path).toEqual(['smtpUser']);
    expect(emailSettingsSchema.safeParse({ fromAddress: 'not-an-address', smtpHost: 'smtp.example' }).error!.issues[0].path).toEqual(['fromAddress']);
    expect(emailSettingsSchema.safeParse({ fromAddress: 'desk@hotel.example', smtpHost: 'smtp.example', smtpPort: 587, sendRatePerSecond: 2 }).success).toBe(true);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
