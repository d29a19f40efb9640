/**
 * Email end to end on the real stack: signed raw MIME posts → API → inbound log → worker →
 * conversation workflow → sendChannelMessage → SMTP (the fake server), threaded so that the
 * contact's answer to our reply continues the same conversation.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInboundEmail } from '../../channels/email/signature';
import { startChannelBench, transcript, type ChannelBench } from '../channels/support';
import { startFakeSmtp, type CapturedEmail, type FakeSmtp } from '../fakes/smtp-server';
import { waitUntil } from '../support/wait';
import { waitForQuiescence } from '../support/quiescence';
import { composeEmail, postInboundEmail } from './support';

const SECRET = randomBytes(32).toString('hex');
const DESK = 'desk@hotel.example';
let bench: ChannelBench;
let smtp: FakeSmtp;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  smtp = await startFakeSmtp({ user: 'desk', pass: 'smtp-password' });
  bench = await startChannelBench();
  channel = await bench.channel('email', {
    credentials: { smtpUser: 'desk', smtpPass: 'smtp-password', inboundSigningSecret: SECRET },
    settings: { fromAddress: DESK, fromName: 'Front desk', smtpHost: '127.0.0.1', smtpPort: smtp.port },
  });
});
afterAll(async () => {
  await bench?.close();
  await smtp?.close();
});

let contacts = 0;
const newContact = () => `guest${Date.now().toString(36)}${++contacts}@example.org`;
const newId = () => `<${randomBytes(8).toString('hex')}@example.org>`;
const post = (raw: Buffer, opts?: Parameters<typeof postInboundEmail>[3]) => postInboundEmail(channel.webhookUrl, SECRET, raw, opts);
const sentTo = (address: string) => smtp.messages.filter((m) => m.envelope.to.includes(address));
const inboundCount = async () => Number((await bench.rows(`select count(*) from inbound_messages where channel_id = $1`, [channel.id]))[0].count);

async function waitForReplies(address: string, count: number): Promise<CapturedEmail[]> {
  await waitUntil(() => sentTo(address).length >= count, 20_000, `${count} emails to ${address}`);
  return sentTo(address);
}

describe('email', () => {
  it('answers in the thread, and the answer to our answer continues the same conversation', async () => {
    const guest = newContact();
    const rootId = newId();
    const first = await post(await composeEmail({ from: `Ada Lovelace <${guest}>`, to: DESK, subject: 'Booking for Tuesday', messageId: rootId, text: 'Hi, I would like to book a table.' }));
    expect(first.status).toBe(200);
    const [question] = await waitForReplies(guest, 1);
    expect(question.parsed.text!.trim()).toBe('Hello! What is your name?');
    expect(question.subject).toBe('Re: Booking for Tuesday');
    expect(question.inReplyTo).toBe(rootId);
    expect(question.references).toEqual([rootId]);
    expect(question.parsed.from!.value[0]).toEqual({ address: DESK, name: 'Front desk' });
    expect(question.parsed.html).toContain('<p>Hello! What is your name?</p>');

    // The guest's mail client answers our reply, quoting it.
    const answerId = newId();
    await post(
      await composeEmail({
        from: `Ada Lovelace <${guest}>`,
        to: DESK,
        subject: question.subject,
        messageId: answerId,
        inReplyTo: question.messageId,
        references: [...question.references, question.messageId!],
        text: `Ada\n\nOn Mon, Nov 23, 2026 at 2:00 PM Front desk <${DESK}> wrote:\n> Hello! What is your name?\n`,
      }),
    );
    const [, greeting] = await waitForReplies(guest, 2);
    expect(greeting.parsed.text!.trim()).toBe('Nice to meet you, Ada!');
    expect(greeting.subject).toBe('Re: Booking for Tuesday');
    expect(greeting.inReplyTo).toBe(answerId);
    expect(greeting.references).toEqual([rootId, question.messageId, answerId]);

    // The send activity records the provider's message id after the SMTP server has the mail: poll.
    const ours = async () => (await transcript(bench, channel.id)).filter((m) => [rootId, answerId, question.messageId, greeting.messageId].includes(m.external_id!));
    await expect.poll(async () => (await ours()).length).toBe(4);
    const messages = await ours();
    expect(messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'Hi, I would like to book a table.'],
      ['out', 'Hello! What is your name?'],
      ['in', 'Ada'],
      ['out', 'Nice to meet you, Ada!'],
    ]);
    expect(new Set(messages.map((m) => m.conversation_id)).size).toBe(1);
    const [conversation] = await bench.rows(`select thread_key, thread from conversations where id = $1`, [messages[0].conversation_id]);
    expect(conversation.thread_key).toBe(rootId);
    expect(conversation.thread).toMatchObject({ subject: 'Re: Booking for Tuesday', lastMessageId: answerId });

    // A new thread from the same guest is another conversation.
    const otherRoot = newId();
    await post(await composeEmail({ from: guest, to: DESK, subject: 'Parking', messageId: otherRoot, text: 'Is there parking?' }));
    const [, , other] = await waitForReplies(guest, 3);
    expect(other).toMatchObject({ subject: 'Re: Parking', inReplyTo: otherRoot });
    const [otherConversation] = await bench.rows(`select id from conversations where channel_id = $1 and thread_key = $2`, [channel.id, otherRoot]);
    expect(otherConversation.id).not.toBe(messages[0].conversation_id);
  });

  it('stores attachments as media assets', async () => {
    const guest = newContact();
    const pdf = Buffer.from('%PDF-1.4 booking confirmation');
    await post(await composeEmail({ from: guest, to: DESK, subject: 'Documents', messageId: newId(), text: 'Attached.', attachments: [{ filename: 'confirmation.pdf', content: pdf, contentType: 'application/pdf' }] }));
    await waitForReplies(guest, 1);
    const [asset] = await bench.rows(`select a.content, a.content_type, a.name from media_assets a join conversations c on c.id = a.conversation_id where c.channel_id = $1 and a.name = 'confirmation.pdf'`, [channel.id]);
    expect(asset).toMatchObject({ content_type: 'application/pdf', name: 'confirmation.pdf' });
    expect(Buffer.compare(asset.content, pdf)).toBe(0);
  });

  it('accepts a 3 MB message (beyond the API-wide 1 MB body limit) as one message with its attachment stored', async () => {
    const guest = newContact();
    const scan = randomBytes(2_200_000); // base64 in the MIME: about 3 MB on the wire
    const raw = await composeEmail({ from: guest, to: DESK, subject: 'Scanned passport', messageId: newId(), text: 'Here is the scan.', attachments: [{ filename: 'passport.jpg', content: scan, contentType: 'image/jpeg' }] });
    expect(raw.length).toBeGreaterThan(3_000_000);
    expect((await post(raw)).status).toBe(200);
    await waitForReplies(guest, 1);
    const inbound = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in' && m.text === 'Here is the scan.');
    expect(inbound).toHaveLength(1);
    const [asset] = await bench.rows(`select id, content from media_assets where conversation_id = $1 and name = 'passport.jpg'`, [inbound[0].conversation_id]);
    expect(Buffer.compare(asset.content, scan)).toBe(0);
    expect(inbound[0].metadata.attachments).toEqual([{ status: 'stored', mediaAssetId: asset.id, contentType: 'image/jpeg', byteSize: scan.length, name: 'passport.jpg' }]);
  });

  it('refuses a bad, missing or replayed signature (401) and records nothing', async () => {
    const before = await inboundCount();
    const raw = await composeEmail({ from: newContact(), to: DESK, subject: 'x', messageId: newId(), text: 'forged' });
    const forged = await post(raw, { signature: signInboundEmail(randomBytes(32).toString('hex'), Math.floor(Date.now() / 1000), raw) });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({ code: 'unauthorized', field: 'x-switchboard-signature' });
    const unsigned = await fetch(channel.webhookUrl, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: new Uint8Array(raw) });
    expect(unsigned.status).toBe(401);
    const stale = await post(raw, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    expect(stale.body.error).toMatchObject({ field: 'x-switchboard-timestamp' });
    expect(await inboundCount()).toBe(before);
  });

  it('answers a malformed payload with 400 and the reason', async () => {
    const before = await inboundCount();
    const noFrom = await post(await composeEmail({ to: DESK, subject: 'x', messageId: newId(), text: 'who am I' }));
    expect(noFrom.status).toBe(400);
    expect(noFrom.body.error).toEqual({ code: 'bad_request', message: 'the message has no From address', field: 'from' });
    const empty = await post(Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ field: 'body' });
    const json = await post(Buffer.from('{"raw":"…"}'), { contentType: 'application/json' });
    expect(json.status).toBe(415);
    expect(json.body.error).toMatchObject({ field: 'content-type' });
    expect(await inboundCount()).toBe(before);
  });

  it('makes one turn of a message posted three times', async () => {
    const guest = newContact();
    const id = newId();
    const raw = await composeEmail({ from: guest, to: DESK, subject: 'Hello', messageId: id, text: 'hello there' });
    const results = await Promise.all([post(raw), post(raw), post(raw)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitForReplies(guest, 1);
    expect(await bench.rows(`select id from inbound_messages where external_id = $1`, [id])).toHaveLength(1);
    await waitForQuiescence(bench.stack);
    expect((await transcript(bench, channel.id)).filter((m) => m.direction === 'in' && m.external_id === id)).toHaveLength(1);
    expect(sentTo(guest)).toHaveLength(1);
  });

  it('retries temporary SMTP refusals and sends exactly once; a permanent refusal fails the message', async () => {
    const guest = newContact();
    const attemptsBefore = smtp.attempts;
    smtp.failNext({ code: 451, message: 'Try again later' }, { code: 421, message: 'Service not available' });
    await post(await composeEmail({ from: guest, to: DESK, subject: 'Busy?', messageId: newId(), text: 'hi' }));
    const [reply] = await waitForReplies(guest, 1);
    expect(smtp.attempts - attemptsBefore).toBe(3);
    expect(sentTo(guest)).toHaveLength(1);
    await waitUntil(async () => (await bench.rows(`select status from messages where external_id = $1`, [reply.messageId]))[0]?.status === 'sent', 10_000, 'stored as sent');

    const gone = newContact();
    smtp.failNext({ code: 550, message: 'No such user here' });
    await post(await composeEmail({ from: gone, to: DESK, subject: 'Bye', messageId: newId(), text: 'hi' }));
    const reply550 = async () =>
      (await bench.rows(`select m.status, m.error from messages m join conversations c on c.id = m.conversation_id join contacts k on k.id = c.contact_id where c.channel_id = $1 and k.external_id = $2 and m.direction = 'out'`, [channel.id, gone]))[0];
    await waitUntil(async () => (await reply550())?.status === 'failed', 20_000, 'reply marked failed');
    expect((await reply550()).error).toContain('550');
  });
});
