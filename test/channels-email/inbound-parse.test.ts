/**
 * SendGrid Inbound Parse and Mailgun Routes on email channels (`inboundProvider: sendgrid` /
 * `mailgun`): their form posts, shaped as each provider documents them, through the webhook route
 * to the stored message (attachment, thread, subject as text when the body is empty, the raw-MIME
 * variants); their verification (SendGrid: basic auth in the parse URL; Mailgun: the HMAC of
 * timestamp + token, five-minute freshness, single-use token), each failure a 401/403 naming the
 * field with nothing recorded; another tenant's channel refusing this channel's credentials.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMailgun } from '../../channels/email/providers/mailgun';
import { connectChannel, startChannelBench, transcript, type ChannelBench } from '../channels/support';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { waitUntil } from '../support/wait';
import { composeEmail } from './support';

const DESK = 'desk@clinic.example';
const SECRET = randomBytes(32).toString('hex');
const MAILGUN_KEY = randomBytes(16).toString('hex');
let bench: ChannelBench;
let smtp: FakeSmtp;
let sendgrid: { id: string; webhookUrl: string };
let mailgun: { id: string; webhookUrl: string };
let otherMailgun: { id: string; webhookUrl: string };

const channelBody = (inboundProvider: string, credentials: Record<string, unknown> = {}) => ({
  credentials: { smtpUser: 'desk', smtpPass: 'smtp-password', inboundSigningSecret: SECRET, ...credentials },
  settings: { fromAddress: DESK, smtpHost: '127.0.0.1', smtpPort: smtp.port, inboundProvider },
});

beforeAll(async () => {
  smtp = await startFakeSmtp({ user: 'desk', pass: 'smtp-password' });
  bench = await startChannelBench();
  sendgrid = await bench.channel('email', channelBody('sendgrid'));
  mailgun = await bench.channel('email', channelBody('mailgun', { mailgunSigningKey: MAILGUN_KEY }));
  const other = await bench.stack.createTenant();
  otherMailgun = await connectChannel(bench.stack, other.apiKey, 'email', channelBody('mailgun', { mailgunSigningKey: randomBytes(16).toString('hex') }));
});
afterAll(async () => {
  await bench?.close();
  await smtp?.close();
});

const uid = () => randomBytes(6).toString('hex');
const basic = (auth: string) => `Basic ${Buffer.from(auth).toString('base64')}`;
const inboundRows = async (channelId: string, like: string) => bench.rows(`select 1 from inbound_messages where channel_id = $1 and payload::text like $2`, [channelId, `%${like}%`]);

function form(fields: Record<string, string>, files: Record<string, { data: Buffer; type: string; name: string }> = {}) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  for (const [name, file] of Object.entries(files)) body.append(name, new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  return body;
}

async function post(url: string, body: FormData | URLSearchParams, auth?: string) {
  const res = await fetch(url, { method: 'POST', headers: auth ? { authorization: auth } : {}, body });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** The parsed post of https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook. */
function sendgridPost(from: string, opts: { messageId: string; subject: string; text: string; inReplyTo?: string; attachment?: Buffer }) {
  const headers = [
    'Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn Wed, 27 Jul 2016 20:53:06 +0000 (UTC)',
    'MIME-Version: 1.0',
    `From: Sender Name <${from}>`,
    'Date: Wed, 27 Jul 2016 14:53:06 -0600',
    `Message-ID: ${opts.messageId}`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`, `References: ${opts.inReplyTo}`] : []),
    `Subject: ${opts.subject}`,
    `To: ${DESK}`,
    'Content-Type: multipart/mixed; boundary=001a113df448cad2d00538a1ba9f',
    '',
  ].join('\n');
  return form(
    {
      headers,
      dkim: '{@gmail.com : pass}',
      'content-ids': '{"ii_1562e2169c132d83":"attachment1"}',
      to: DESK,
      html: opts.text ? `<div dir="ltr">${opts.text}</div>` : '',
      from: `Sender Name <${from}>`,
      text: opts.text,
      sender_ip: '209.85.223.172',
      spam_report: 'Spam detection software, running on the system "mx0047p1mdw1.sendgrid.net", has NOT identified this incoming email as spam.',
      envelope: JSON.stringify({ to: [DESK], from }),
      attachments: opts.attachment ? '1' : '0',
      subject: opts.subject,
      spam_score: '0.011',
      ...(opts.attachment ? { 'attachment-info': JSON.stringify({ attachment1: { filename: 'scan.png', name: 'scan.png', type: 'image/png' } }) } : {}),
      charsets: JSON.stringify({ to: 'UTF-8', html: 'UTF-8', subject: 'UTF-8', from: 'UTF-8', text: 'UTF-8' }),
      SPF: 'pass',
    },
    opts.attachment ? { attachment1: { data: opts.attachment, type: 'image/png', name: 'scan.png' } } : {},
  );
}

describe('SendGrid Inbound Parse', () => {
  it('stores the parsed post as the email it carries: text, attachment, thread; an empty body has its subject as text', async () => {
    const contact = `ada${uid()}@example.org`;
    const rootId = `<CAN_${uid()}@mail.gmail.com>`;
    const png = Buffer.from('\x89PNG\r\n\x1a\n scan');
    expect((await post(sendgrid.webhookUrl, sendgridPost(contact, { messageId: rootId, subject: 'Different File Types', text: 'Here is the scan.', attachment: png }), basic(`sendgrid:${SECRET}`))).status).toBe(200);
    await waitUntil(async () => (await inboundRows(sendgrid.id, rootId)).length === 1 && (await transcript(bench, sendgrid.id)).some((m) => m.metadata?.messageId === rootId), 20_000, 'the first message stored');
    const first = (await transcript(bench, sendgrid.id)).find((m) => m.metadata?.messageId === rootId)!;
    expect(first.text).toBe('Here is the scan.');
    expect(first.metadata).toMatchObject({ subject: 'Different File Types', attachments: [{ name: 'scan.png', contentType: 'image/png' }] });
    await waitUntil(async () => (await bench.rows(`select 1 from media_assets where channel_id = $1 and content = $2`, [sendgrid.id, png])).length === 1, 20_000, 'the attachment stored');

    // A reply with no body: its subject is the text, and it threads into the same conversation.
    const replyId = `<CAN_${uid()}@mail.gmail.com>`;
    expect((await post(sendgrid.webhookUrl, sendgridPost(contact, { messageId: replyId, subject: 'Re: Different File Types', text: '', inReplyTo: rootId }), basic(`sendgrid:${SECRET}`))).status).toBe(200);
    await waitUntil(async () => (await transcript(bench, sendgrid.id)).some((m) => m.metadata?.messageId === replyId), 20_000, 'the reply stored');
    const reply = (await transcript(bench, sendgrid.id)).find((m) => m.metadata?.messageId === replyId)!;
    expect(reply.text).toBe('Re: Different File Types');
    expect(reply.conversation_id).toBe(first.conversation_id);
  });

  it('decodes each text field in the charset the charsets field names (a Latin-1 mail keeps its accents)', async () => {
    const contact = `latin1-${randomBytes(3).toString('hex')}@example.org`;
    const messageId = `<latin1.${randomBytes(4).toString('hex')}@example.org>`;
    // SendGrid passes a field's bytes as the mail had them and names their charset; FormData would send UTF-8.
    const fields: [string, Buffer][] = [
      ['headers', Buffer.from(`From: Zoé <${contact}>\nMessage-ID: ${messageId}\nSubject: Réservation\nTo: ${DESK}\n`, 'latin1')],
      ['from', Buffer.from(`Zoé <${contact}>`, 'latin1')],
      ['to', Buffer.from(DESK)],
      ['subject', Buffer.from('Réservation pour août', 'latin1')],
      ['text', Buffer.from('Une table près de la fenêtre, s’il vous plaît.'.replace('’', "'"), 'latin1')],
      ['envelope', Buffer.from(JSON.stringify({ to: [DESK], from: contact }))],
      ['attachments', Buffer.from('0')],
      ['charsets', Buffer.from(JSON.stringify({ to: 'UTF-8', from: 'iso-8859-1', subject: 'iso-8859-1', text: 'iso-8859-1', headers: 'iso-8859-1' }))],
    ];
    const boundary = `----sg${randomBytes(8).toString('hex')}`;
    const body = Buffer.concat([
      ...fields.flatMap(([name, value]) => [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), value, Buffer.from('\r\n')]),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const res = await fetch(sendgrid.webhookUrl, { method: 'POST', headers: { authorization: basic(`sendgrid:${SECRET}`), 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
    expect(res.status).toBe(200);
    await waitUntil(async () => (await transcript(bench, sendgrid.id)).some((m) => m.metadata?.messageId === messageId), 20_000, 'the Latin-1 message stored');
    const stored = (await transcript(bench, sendgrid.id)).find((m) => m.metadata?.messageId === messageId)!;
    expect(stored.text).toBe("Une table près de la fenêtre, s'il vous plaît.");
    expect(stored.metadata).toMatchObject({ subject: 'Réservation pour août' });
  });

  it('takes the "send raw" variant: the whole message in the email field', async () => {
    const messageId = `<raw.${uid()}@example.org>`;
    const raw = await composeEmail({ from: `Grace <grace${uid()}@example.org>`, to: DESK, subject: 'Raw please', messageId, text: 'Sent raw.' });
    const body = form({ email: raw.toString('utf8'), to: DESK, from: 'grace@example.org', subject: 'Raw please', envelope: JSON.stringify({ to: [DESK], from: 'grace@example.org' }), charsets: '{"to":"UTF-8"}', SPF: 'pass' });
    expect((await post(sendgrid.webhookUrl, body, basic(`sendgrid:${SECRET}`))).status).toBe(200);
    await waitUntil(async () => (await transcript(bench, sendgrid.id)).some((m) => m.metadata?.messageId === messageId && m.text === 'Sent raw.'), 20_000, 'the raw message stored');
  });

  it('refuses a post without the basic auth of the parse URL, or with another password (401 naming authorization); records nothing', async () => {
    for (const auth of [undefined, basic(`sendgrid:${randomBytes(32).toString('hex')}`), basic(`admin:${SECRET}`)]) {
      const res = await post(sendgrid.webhookUrl, sendgridPost('mallory@example.org', { messageId: '<forged.sg@example.org>', subject: 'Hi', text: 'Hi' }), auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.body).toMatchObject({ error: expect.objectContaining({ field: 'authorization' }) });
    }
    expect(await inboundRows(sendgrid.id, 'forged.sg@example.org')).toEqual([]);
  });

  it('refuses a post without from (400 naming it)', async () => {
    const res = await post(sendgrid.webhookUrl, form({ headers: 'Subject: x\n', text: 'x', subject: 'x' }), basic(`sendgrid:${SECRET}`));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: expect.objectContaining({ field: 'from' }) });
  });
});

/** A route's forward post as https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/ shows it. */
function mailgunFields(from: string, opts: { messageId: string; subject: string; text: string; key?: string; timestamp?: number; token?: string; inReplyTo?: string; count?: number }) {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const token = opts.token ?? randomBytes(25).toString('hex');
  const headers: [string, string][] = [
    ['Received', 'by luna.mailgun.net with SMTP mgrt 8734663311733; Fri, 03 May 2013 18:26:27 +0000'],
    ['Mime-Version', '1.0'],
    ['Subject', opts.subject],
    ['From', `Bob <${from}>`],
    ['To', `Alice <${DESK}>`],
    ['Message-Id', opts.messageId],
    ...(opts.inReplyTo ? ([['In-Reply-To', opts.inReplyTo], ['References', opts.inReplyTo]] as [string, string][]) : []),
    ['Date', 'Fri, 3 May 2013 11:26:27 -0700'],
  ];
  return {
    recipient: DESK,
    sender: from,
    from: `Bob <${from}>`,
    subject: opts.subject,
    'body-plain': opts.text,
    'stripped-text': opts.text.split('\n')[0],
    'stripped-signature': '',
    'body-html': opts.text ? `<html><body><p>${opts.text}</p></body></html>` : '',
    'stripped-html': '',
    'attachment-count': String(opts.count ?? 0),
    timestamp,
    token,
    signature: signMailgun(opts.key ?? MAILGUN_KEY, timestamp, token),
    'message-headers': JSON.stringify(headers),
    'Message-Id': opts.messageId,
    ...(opts.inReplyTo ? { 'In-Reply-To': opts.inReplyTo, References: opts.inReplyTo } : {}),
    'content-id-map': '{}',
  };
}

describe('Mailgun Routes', () => {
  it('stores a multipart forward with its attachment, and an urlencoded one without a body with its subject as text', async () => {
    const contact = `bob${uid()}@example.org`;
    const rootId = `<${uid()}@mail.gmail.com>`;
    const pdf = Buffer.from('%PDF-1.4 lab results');
    const fields = mailgunFields(contact, { messageId: rootId, subject: 'Lab results', text: 'Results attached.\n\n> earlier quote', count: 1 });
    expect((await post(mailgun.webhookUrl, form(fields, { 'attachment-1': { data: pdf, type: 'application/pdf', name: 'results.pdf' } }))).status).toBe(200);
    await waitUntil(async () => (await transcript(bench, mailgun.id)).some((m) => m.metadata?.messageId === rootId), 20_000, 'the forward stored');
    const first = (await transcript(bench, mailgun.id)).find((m) => m.metadata?.messageId === rootId)!;
    expect(first.text).toBe('Results attached.');
    expect(first.metadata).toMatchObject({ subject: 'Lab results', attachments: [{ name: 'results.pdf', contentType: 'application/pdf' }] });
    await waitUntil(async () => (await bench.rows(`select 1 from media_assets where channel_id = $1 and content = $2`, [mailgun.id, pdf])).length === 1, 20_000, 'the attachment stored');

    const replyId = `<${uid()}@mail.gmail.com>`;
    const reply = mailgunFields(contact, { messageId: replyId, subject: 'Re: Lab results', text: '', inReplyTo: rootId });
    expect((await post(mailgun.webhookUrl, new URLSearchParams(reply))).status).toBe(200);
    await waitUntil(async () => (await transcript(bench, mailgun.id)).some((m) => m.metadata?.messageId === replyId), 20_000, 'the reply stored');
    const stored = (await transcript(bench, mailgun.id)).find((m) => m.metadata?.messageId === replyId)!;
    expect(stored.text).toBe('Re: Lab results');
    expect(stored.conversation_id).toBe(first.conversation_id);
  });

  it('refuses a wrong signature, an old timestamp and a replayed token (401/403 naming the field); records nothing of them', async () => {
    const contact = `eve${uid()}@example.org`;
    const wrong = mailgunFields(contact, { messageId: '<mg.badsig@example.org>', subject: 'x', text: 'x', key: randomBytes(16).toString('hex') });
    const stale = mailgunFields(contact, { messageId: '<mg.stale@example.org>', subject: 'x', text: 'x', timestamp: Math.floor(Date.now() / 1000) - 301 });
    const unsigned = { ...mailgunFields(contact, { messageId: '<mg.unsigned@example.org>', subject: 'x', text: 'x' }), signature: '' };
    for (const [fields, status, field] of [
      [wrong, 401, 'signature'],
      [stale, 401, 'timestamp'],
      [unsigned, 401, 'signature'],
    ] as const) {
      const res = await post(mailgun.webhookUrl, new URLSearchParams(fields));
      expect(res.status, fields['Message-Id']).toBe(status);
      expect(res.body).toMatchObject({ error: expect.objectContaining({ field }) });
    }
    expect(await inboundRows(mailgun.id, '<mg.')).toEqual([]);

    // The same signed post twice: the second is a replay, even as a "different" message.
    const once = mailgunFields(contact, { messageId: `<mg.once.${uid()}@example.org>`, subject: 'once', text: 'once' });
    expect((await post(mailgun.webhookUrl, new URLSearchParams(once))).status).toBe(200);
    const replay = await post(mailgun.webhookUrl, new URLSearchParams({ ...once, 'Message-Id': '<mg.replayed@example.org>', 'body-plain': 'replayed' }));
    expect(replay.status).toBe(403);
    expect(replay.body).toMatchObject({ error: expect.objectContaining({ field: 'token', message: expect.stringContaining('replay') }) });
    expect(await inboundRows(mailgun.id, 'mg.replayed')).toEqual([]);
  });

  it("another tenant's channel refuses this channel's signing key; a channel without a key refuses every post", async () => {
    const fields = mailgunFields(`carol${uid()}@example.org`, { messageId: `<cross.${uid()}@example.org>`, subject: 'Hello', text: 'Hello' });
    const res = await post(otherMailgun.webhookUrl, new URLSearchParams(fields));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: expect.objectContaining({ field: 'signature' }) });
    const keyless = await bench.channel('email', channelBody('mailgun'));
    const none = await post(keyless.webhookUrl, new URLSearchParams(mailgunFields('x@example.org', { messageId: '<k@example.org>', subject: 'x', text: 'x' })));
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: expect.objectContaining({ field: 'mailgunSigningKey' }) });
  });

  it('refuses an unknown inboundProvider and an imap channel without its host (400 naming the field)', async () => {
    const bad = await bench.stack.request('PATCH', `/v1/channels/${mailgun.id}`, { apiKey: bench.apiKey, body: { settings: { fromAddress: DESK, smtpHost: '127.0.0.1', inboundProvider: 'sparkpost' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('inboundProvider');
    const imap = await bench.stack.request('PATCH', `/v1/channels/${mailgun.id}`, { apiKey: bench.apiKey, body: { settings: { fromAddress: DESK, smtpHost: '127.0.0.1', inboundProvider: 'imap', imapUser: 'desk' } } });
    expect(imap.status).toBe(400);
    expect(JSON.stringify(imap.body)).toContain('imapHost');
  });
});
