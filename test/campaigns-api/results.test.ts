/**
 * Results of a campaign on real PostgreSQL through the API: recipients in every state (sent,
 * delivered, read, failed with a provider reason, skipped for each reason, replied, clicked,
 * opted out) are counted in total, per variant and per channel, failures grouped by reason, clicks
 * per link, sends over time; the per-recipient CSV has every row, spreadsheet formulas defused;
 * and a campaign whose run is gone still shows its progress from the recipients.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECIPIENT_CSV_COLUMNS } from '../../core/api/campaigns';
import { Campaign, CampaignLinkClick, CampaignRecipient, type Contact } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { optedInContact, smsVariant } from './fixtures';

let stack: Stack;
let tenant: { tenantId: string; apiKey: string };
let campaignId: string;
const REASON = 'Twilio error 30003: unreachable destination handset';
const minute = (n: number) => new Date(Date.UTC(2026, 11, 1, 10, n, 30));

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  tenant = await stack.createTenant();
  const em = tenantEm(stack.orm, tenant.tenantId);
  // No run: the campaign is as a finished one looks once Temporal no longer keeps its history.
  const campaign = em.create(Campaign, {
    tenant: tenant.tenantId,
    name: 'Finished',
    status: 'completed',
    channels: ['sms', 'email'],
    variants: [smsVariant('A', 'a'), smsVariant('B', 'b')],
    channelIds: {},
    ratePerSecond: {},
    winnerVariant: 'A',
  });
  await em.flush();
  campaignId = campaign.id;
  const people = [
    { name: 'Ada', phone: '+15550000001' },
    { name: '=HYPERLINK("http://evil.test","x")', phone: '+15550000002' },
    { name: 'Cy', phone: '+15550000003' },
    { name: 'Di', phone: '+15550000004' },
    { name: 'Ed', phone: null },
    { name: 'Flo', phone: '+15550000006' },
    { name: 'Gus', phone: '+15550000007' },
    { name: 'Hal', email: 'hal@example.test' },
  ];
  const contacts: Contact[] = [];
  for (const p of people) contacts.push(await optedInContact(stack, tenant.tenantId, p, []));
  const rows: Partial<CampaignRecipient>[] = [
    { variant: 'A', channel: 'sms', status: 'delivered', sentAt: minute(0), deliveredAt: minute(1), repliedAt: minute(5), clickedAt: minute(3) },
    { variant: 'A', channel: 'sms', status: 'read', sentAt: minute(0), deliveredAt: minute(1), readAt: minute(2) },
    { variant: 'B', channel: 'sms', status: 'failed', failedAt: minute(0), error: REASON },
    { variant: 'B', channel: 'sms', status: 'failed', sentAt: minute(1), failedAt: minute(2), error: REASON },
    { variant: null, channel: null, status: 'skipped', skipReason: 'no_address' },
    { variant: null, channel: null, status: 'skipped', skipReason: 'opted_out' },
    { variant: 'B', channel: 'sms', status: 'sent', sentAt: minute(2), optedOutAt: minute(4) },
    { variant: 'A', channel: 'email', status: 'sent', sentAt: minute(1) },
  ];
  const recipients = rows.map((r, i) =>
    em.create(CampaignRecipient, {
      tenant: tenant.tenantId,
      campaign: campaignId,
      contact: contacts[i].id,
      address: r.channel === 'email' ? 'hal@example.test' : (people[i].phone ?? null),
      idempotencyKey: `${campaignId}:${contacts[i].id}:${r.channel ?? 'none'}`,
      ...r,
    } as CampaignRecipient),
  );
  await em.flush();
  for (const [recipient, url] of [
    [recipients[0], 'https://example.test/menu'],
    [recipients[0], 'https://example.test/menu'],
    [recipients[6], 'https://example.test/book'],
  ] as const) {
    em.create(CampaignLinkClick, { tenant: tenant.tenantId, campaign: campaignId, recipient: recipient.id, url, userAgent: null });
  }
  await em.flush();
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const get = (path: string) => stack.request('GET', path, { apiKey: tenant.apiKey });

describe('results', () => {
  it('counts every outcome in total, per variant and per channel', async () => {
    const res = await get(`/v1/campaigns/${campaignId}/results`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({ campaignId, status: 'completed', winnerVariant: 'A' });
    expect(r.totals).toEqual({
      targeted: 8,
      skipped: { no_consent: 0, no_address: 1, opted_out: 1 },
      pending: 0,
      deferred: 0,
      held: 0,
      cancelled: 0,
      sent: 5,
      delivered: 2,
      read: 1,
      failed: 2,
      replied: 1,
      clicked: 1,
      optedOut: 1,
    });
    expect(r.byVariant.map((v: { variant: string; targeted: number; sent: number; failed: number }) => [v.variant, v.targeted, v.sent, v.failed])).toEqual([
      ['A', 3, 3, 0],
      ['B', 3, 2, 2],
    ]);
    expect(r.byChannel.map((c: { channel: string; targeted: number }) => [c.channel, c.targeted])).toEqual([
      ['sms', 5],
      ['email', 1],
    ]);
    expect(r.failures).toEqual([{ reason: REASON, count: 2 }]);
    expect(r.clicks).toEqual([
      { url: 'https://example.test/menu', clicks: 2, recipients: 1 },
      { url: 'https://example.test/book', clicks: 1, recipients: 1 },
    ]);
    expect(r.timeline.bucketMinutes).toBe(1);
    expect(r.timeline.points).toEqual([
      { at: '2026-12-01T10:00:00.000Z', sent: 2, failed: 1 },
      { at: '2026-12-01T10:01:00.000Z', sent: 2, failed: 0 },
      { at: '2026-12-01T10:02:00.000Z', sent: 1, failed: 1 },
    ]);
  });

  it('shows the progress of a campaign whose run is gone, from its recipients', async () => {
    const res = await get(`/v1/campaigns/${campaignId}/progress`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', targeted: 8, failed: 2, skipped: { no_consent: 0, no_address: 1, opted_out: 1 }, winnerVariant: 'A', paused: false });
  });

  it('exports one CSV row per recipient, formulas defused, phone numbers kept', async () => {
    const res = await fetch(`${stack.url}/v1/campaigns/${campaignId}/results.csv`, { headers: { authorization: `Bearer ${tenant.apiKey}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Finished-recipients.csv"');
    const rows: Record<string, string>[] = parse(await res.text(), { columns: true });
    expect(Object.keys(rows[0])).toEqual([...RECIPIENT_CSV_COLUMNS]);
    expect(rows).toHaveLength(8);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('Ada')).toMatchObject({ channel: 'sms', address: '+15550000001', variant: 'A', status: 'delivered', repliedAt: minute(5).toISOString(), clickedAt: minute(3).toISOString() });
    expect(byName.get(`'=HYPERLINK("http://evil.test","x")`)).toMatchObject({ status: 'read', address: '+15550000002' });
    expect(byName.get('Cy')).toMatchObject({ status: 'failed', error: REASON, sentAt: '' });
    expect(byName.get('Ed')).toMatchObject({ status: 'skipped', skipReason: 'no_address', channel: '', variant: '' });
    expect(byName.get('Gus')!.optedOutAt).toBe(minute(4).toISOString());
  });
});
