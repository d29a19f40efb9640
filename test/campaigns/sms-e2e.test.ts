/**
 * A campaign end to end on the real stack: the workflow, the real activities, PostgreSQL and the
 * fake Twilio. Consent decides who is sent, each recipient gets one personalized SMS with a
 * tracked link, a click redirects, a reply lands in the conversation (attributed, answered by the
 * flow), a pause holds the sends and a resume finishes them with nobody twice, quiet hours defer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelBench } from '../channels/support';
import type { FakeTwilio } from '../fakes/twilio-server';
import { waitUntil } from '../support/wait';
import { configuredLinkKey, recipientLinks } from '../../campaigns/links';
import { launch, makeCampaign, makeContacts, recipients, smsVariant, startSmsCampaignBench, tagged, waitForStatus, type SmsCampaignBench } from './support';

let sms: SmsCampaignBench;
let bench: ChannelBench;
let twilio: FakeTwilio;
let channel: { id: string; webhookUrl: string };
let TOKEN: string;
let FROM: string;
let phones = 0;
const newPhone = () => `+1444${String(process.pid).slice(-3)}${String(++phones).padStart(4, '0')}`;
const sentTo = (phone: string) => twilio.messages.filter((m) => m.to === phone);

beforeAll(async () => {
  sms = await startSmsCampaignBench();
  ({ bench, twilio, channel, token: TOKEN, from: FROM } = sms);
}, 60_000);
afterAll(() => sms?.close());

describe('an SMS campaign', () => {
  it('sends each consenting contact one personalized SMS with a tracked link, counts the skipped, tracks a click and a reply', async () => {
    const ok = [newPhone(), newPhone(), newPhone()];
    const [optedOut, noConsent] = [newPhone(), newPhone()];
    await makeContacts(bench, [
      { firstName: 'Ada', phone: ok[0], consent: { sms: 'in' } },
      { firstName: 'Grace', phone: ok[1], consent: { sms: 'in' } },
      { phone: ok[2], consent: { sms: 'in' } },
      { firstName: 'Out', phone: optedOut, consent: { sms: 'out' } },
      { firstName: 'Never', phone: noConsent },
      { firstName: 'NoPhone', email: 'np@example.com', consent: { sms: 'in' } },
    ].map((c) => ({ ...c, tags: ['first'] })) as Parameters<typeof makeContacts>[1]);
    const id = await makeCampaign(bench, { audienceFilter: tagged('first'), channels: ['sms'], channelIds: { sms: channel.id }, ratePerSecond: { sms: 0 }, variants: [smsVariant('Hi {{contact.firstName|there}}! Tasting menu on Friday: https://example.com/menu')] });
    await launch(bench, id);
    const done = await waitForStatus(bench, id, 'completed');
    expect(done).toMatchObject({ sent: 3, failed: 0, pending: 0, skipped: { opted_out: 1, no_consent: 1, no_address: 1 } });

    expect(ok.map((p) => sentTo(p).length)).toEqual([1, 1, 1]);
    expect(sentTo(optedOut)).toHaveLength(0);
    expect(sentTo(noConsent)).toHaveLength(0);
    const [ada] = sentTo(ok[0]!);
    expect(ada!.body).toMatch(new RegExp(`^Hi Ada! Tasting menu on Friday: ${bench.stack.config.PUBLIC_URL ?? 'http://localhost'}.*/l/[A-Za-z0-9_-]{39}$`));
    expect(sentTo(ok[2]!)[0]!.body).toMatch(/^Hi there!/);

    // the tracked link redirects to the URL and is counted once per recipient
    const link = ada!.body.slice(ada!.body.indexOf('/l/'));
    const click = await fetch(`${bench.stack.url}${link}`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://example.com/menu');
    const tampered = await fetch(`${bench.stack.url}${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`, { redirect: 'manual' });
    expect(tampered.status).toBe(404);

    // the contact replies: same conversation, attributed to the campaign, answered by the channel's flow
    await twilio.sendInbound(channel.webhookUrl, TOKEN, { To: FROM, From: ok[0]!, Body: 'Sounds great' });
    await waitUntil(() => sentTo(ok[0]!).length >= 2, 20_000, 'the flow answers the reply');
    expect(sentTo(ok[0]!)[1]!.body).toBe('Hello! What is your name?');
    const rows = await recipients(bench, id);
    const adaRow = rows.find((r) => r.address === ok[0])!;
    expect(adaRow).toMatchObject({ status: 'sent' });
    expect(adaRow.clicked_at).toBeInstanceOf(Date);
    await waitUntil(async () => (await recipients(bench, id)).find((r) => r.address === ok[0])!.replied_at !== null, 10_000, 'reply attributed');
    const inbound = await bench.rows(`select conversation_id, metadata from messages where direction = 'in' and conversation_id = $1`, [adaRow.conversation_id]);
    expect(inbound).toHaveLength(1);
    expect(inbound[0].metadata.campaignId).toBe(id);
  });

  it('pauses mid-send and resumes: every recipient exactly once, none skipped', async () => {
    const list = Array.from({ length: 24 }, () => newPhone());
    await makeContacts(bench, list.map((phone) => ({ phone, tags: ['pause'], consent: { sms: 'in' as const } })));
    const id = await makeCampaign(bench, { audienceFilter: tagged('pause'), channels: ['sms'], channelIds: { sms: channel.id }, ratePerSecond: { sms: 4 }, variants: [smsVariant('Flu shots are in: reply YES to book')] });
    const client = await launch(bench, id);
    await waitUntil(() => list.filter((p) => sentTo(p).length).length >= 4, 20_000, 'a few sent');
    const paused = await client.campaignUpdate(bench.tenantId, id, 'pause', { by: 'approver' });
    expect(paused).toMatchObject({ status: 'paused', paused: true });
    // the page in flight stops at its next status check; then nothing more goes out
    await new Promise((r) => setTimeout(r, 2_500));
    const sentWhilePaused = list.filter((p) => sentTo(p).length).length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(list.filter((p) => sentTo(p).length).length).toBe(sentWhilePaused);
    expect(sentWhilePaused).toBeLessThan(list.length);
    expect((await client.campaignUpdate(bench.tenantId, id, 'resume', { by: 'approver' })).status).toBe('sending');
    const done = await waitForStatus(bench, id, 'completed');
    expect(done.sent).toBe(list.length);
    expect(list.map((p) => sentTo(p).length)).toEqual(list.map(() => 1));
  });

  it("defers recipients inside their channel's quiet hours in their timezone, and a cancel stops them", async () => {
    const list = [newPhone(), newPhone()];
    await makeContacts(bench, list.map((phone) => ({ phone, timezone: 'Pacific/Kiritimati', tags: ['quiet'], consent: { sms: 'in' as const } })));
    // SMS is quiet from an hour before now to an hour after in Kiritimati (UTC+14); the campaign's
    // own window is the rest of the day, so only the channel's window can hold these recipients.
    const local = new Date(Date.now() + 14 * 3_600_000);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const [before, after] = [hhmm(new Date(local.getTime() - 3_600_000)), hhmm(new Date(local.getTime() + 3_600_000))];
    const quietHours = { start: after, end: before, channels: { sms: { start: before, end: after } } };
    const id = await makeCampaign(bench, { audienceFilter: tagged('quiet'), channels: ['sms'], channelIds: { sms: channel.id }, ratePerSecond: { sms: 0 }, quietHours, variants: [smsVariant('Late night offer')] });
    const client = await launch(bench, id);
    await waitUntil(async () => (await client.campaignProgress(bench.tenantId, id))?.deferred === 2, 20_000, 'deferred');
    const rows = await recipients(bench, id);
    expect(rows.every((r) => r.status === 'deferred' && r.send_after && r.send_after.getTime() > Date.now() + 30 * 60_000)).toBe(true);
    expect(list.flatMap(sentTo)).toHaveLength(0);
    expect((await client.campaignUpdate(bench.tenantId, id, 'cancel', { by: 'approver' })).status).toBe('cancelled');
    await waitUntil(async () => (await recipients(bench, id)).every((r) => r.status === 'cancelled'), 10_000, 'cancelled');
  });

  it('unsubscribes through the signed link: the page, then one-click; a forged token is a 404', async () => {
    const phone = newPhone();
    const [contactId] = await makeContacts(bench, [{ phone, tags: ['unsub'], consent: { sms: 'in' } }]);
    const id = await makeCampaign(bench, { audienceFilter: tagged('unsub'), channels: ['sms'], channelIds: { sms: channel.id }, ratePerSecond: { sms: 0 }, variants: [smsVariant('Stop by {{contact.firstName|friend}}')] });
    await launch(bench, id);
    await waitForStatus(bench, id, 'completed');
    const [row] = await bench.rows(`select id from campaign_recipients where campaign_id = $1`, [id]);
    const { unsubscribeUrl } = recipientLinks(bench.stack.url, configuredLinkKey(bench.stack.config), row.id);
    const pageRes = await fetch(unsubscribeUrl);
    expect(pageRes.status).toBe(200);
    expect(await pageRes.text()).toContain('<form method="post">');
    const oneClick = await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    const [consent] = await bench.rows(`select status, method from contact_consents where contact_id = $1 and channel = 'sms'`, [contactId]);
    expect(consent).toEqual({ status: 'opted_out', method: 'list-unsubscribe' });
    expect((await bench.rows(`select opted_out_at from campaign_recipients where id = $1`, [row.id]))[0].opted_out_at).toBeInstanceOf(Date);
    const forged = await fetch(`${bench.stack.url}/u/${'A'.repeat(39)}`, { method: 'POST' });
    expect(forged.status).toBe(404);
  });
});
