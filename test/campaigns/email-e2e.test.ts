/**
 * An email campaign through the fake SMTP server: subject, preheader, HTML and text parts,
 * tracked links, escaped personalization in the HTML, and List-Unsubscribe / List-Unsubscribe-Post
 * (RFC 8058) whose one-click POST opts the contact out of email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { composeEmail, postInboundEmail } from '../channels-email/support';
import { waitUntil } from '../support/wait';
import { launch, makeCampaign, makeContacts, recipients, tagged, waitForStatus } from './support';

let smtp: FakeSmtp;
let bench: ChannelBench;
let channel: { id: string; webhookUrl: string };
const SIGNING = 'e'.repeat(32);

beforeAll(async () => {
  smtp = await startFakeSmtp({ user: 'desk', pass: 'smtp-password' });
  bench = await startChannelBench();
  channel = await bench.channel('email', {
    credentials: { smtpUser: 'desk', smtpPass: 'smtp-password', inboundSigningSecret: SIGNING },
    settings: { fromAddress: 'news@bistro.example', fromName: 'Bistro', smtpHost: '127.0.0.1', smtpPort: smtp.port },
  });
}, 60_000);
afterAll(async () => {
  await bench?.close();
  await smtp?.close();
});

describe('an email campaign', () => {
  it('sends the composed email with tracked links and one-click unsubscribe headers', async () => {
    const [contactId] = await makeContacts(bench, [{ firstName: 'Ada <b>', email: 'ada@example.org', tags: ['mail'], consent: { email: 'in' } }]);
    const content = {
      email: {
        subject: 'A table for {{contact.firstName|you}}',
        preheader: 'Seven courses, Friday only',
        html: '<html><body><p>Hi {{contact.firstName|there}},</p><p><a href="https://example.com/menu">See the menu</a></p></body></html>',
        text: 'Hi {{contact.firstName|there}}, see the menu: https://example.com/menu',
      },
    };
    const id = await makeCampaign(bench, { audienceFilter: tagged('mail'), channels: ['email'], channelIds: { email: channel.id }, ratePerSecond: { email: 0 }, variants: [{ id: 'A', content, generatedBy: 'edited', warnings: [] }] });
    await launch(bench, id);
    expect(await waitForStatus(bench, id, 'completed')).toMatchObject({ sent: 1 });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('A table for Ada <b>');
    // mailparser folds List-* headers into a structure: read the raw header lines
    const raw = mail!.raw.toString('utf8').replace(/\r?\n[ \t]+/g, ' ');
    const listUnsubscribe = /^List-Unsubscribe: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
    expect(listUnsubscribe).toMatch(/^<https?:\/\/[^>]+\/u\/[A-Za-z0-9_-]{39}>$/);
    expect(/^List-Unsubscribe-Post: (.*)$/im.exec(raw)?.[1]?.trim()).toBe('List-Unsubscribe=One-Click');
    const html = String(mail!.parsed.html);
    expect(html).toContain('Hi Ada &#60;b&#62;,');
    expect(html).toContain('Seven courses, Friday only');
    expect(html).toMatch(/href="https?:\/\/[^"]+\/l\/[A-Za-z0-9_-]{39}"/);
    expect(html).not.toContain('https://example.com/menu');
    expect(mail!.parsed.text).toMatch(/see the menu: https?:\/\/\S+\/l\/[A-Za-z0-9_-]{39}\n\nUnsubscribe: https?:\/\/\S+\/u\//);

    const path = new URL(listUnsubscribe.slice(1, -1)).pathname;
    const res = await fetch(`${bench.stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    const [consent] = await bench.rows(`select status, method from contact_consents where contact_id = $1 and channel = 'email'`, [contactId]);
    expect(consent).toEqual({ status: 'opted_out', method: 'list-unsubscribe' });
  });

  it('a reply to the campaign email lands in the campaign conversation, attributed, and the flow answers in the thread', async () => {
    await makeContacts(bench, [{ firstName: 'Grace', email: 'grace@example.org', tags: ['reply'], consent: { email: 'in' } }]);
    const content = { email: { subject: 'Friday tasting menu', preheader: '', html: '<p>Hi {{contact.firstName|there}}, join us on Friday.</p>', text: 'Hi {{contact.firstName|there}}, join us on Friday.' } };
    const id = await makeCampaign(bench, { audienceFilter: tagged('reply'), channels: ['email'], channelIds: { email: channel.id }, ratePerSecond: { email: 0 }, variants: [{ id: 'A', content, generatedBy: 'edited', warnings: [] }] });
    const before = smtp.messages.length;
    await launch(bench, id);
    await waitForStatus(bench, id, 'completed');
    const mails = await smtp.waitFor(before + 1);
    const campaignMail = mails.at(-1)!;
    expect(campaignMail.envelope.to).toContain('grace@example.org');
    const [recipient] = await recipients(bench, id);

    // Grace answers from her mail client: a new Message-ID, In-Reply-To and References the campaign email's
    const replyId = `<reply-${Date.now()}@example.org>`;
    const raw = await composeEmail({ from: 'Grace <Grace@Example.org>', to: 'news@bistro.example', subject: 'Re: Friday tasting menu', messageId: replyId, inReplyTo: campaignMail.messageId, references: [campaignMail.messageId!], text: 'Two seats please' });
    expect((await postInboundEmail(channel.webhookUrl, SIGNING, raw)).status).toBeLessThan(300);
    await waitUntil(async () => (await bench.rows(`select 1 from messages where direction = 'in' and external_id = $1`, [replyId])).length === 1, 20_000, 'the reply stored');
    const [inbound] = await bench.rows(`select conversation_id, metadata from messages where direction = 'in' and external_id = $1`, [replyId]);
    expect(inbound.conversation_id).toBe(recipient!.conversation_id);
    expect(inbound.metadata.campaignId).toBe(id);
    await waitUntil(async () => (await recipients(bench, id))[0]!.replied_at !== null, 10_000, 'reply attributed');

    // the flow answers in the same email thread
    const answer = (await smtp.waitFor(before + 2)).at(-1)!;
    expect(answer.subject).toBe('Re: Friday tasting menu');
    expect(answer.inReplyTo).toBe(replyId);
    expect(answer.references).toContain(campaignMail.messageId);

    // a colleague she forwarded it to answers the same thread: their own conversation, not Grace's
    const strangerId = `<fwd-${Date.now()}@example.net>`;
    const forwarded = await composeEmail({ from: 'bob@example.net', to: 'news@bistro.example', subject: 'Re: Fwd: Friday tasting menu', messageId: strangerId, inReplyTo: campaignMail.messageId, references: [campaignMail.messageId!], text: 'Me too' });
    await postInboundEmail(channel.webhookUrl, SIGNING, forwarded);
    await waitUntil(async () => (await bench.rows(`select 1 from messages where direction = 'in' and external_id = $1`, [strangerId])).length === 1, 20_000, 'the forward stored');
    const [stranger] = await bench.rows(`select conversation_id from messages where direction = 'in' and external_id = $1`, [strangerId]);
    expect(stranger.conversation_id).not.toBe(recipient!.conversation_id);
  });
});
