/**
 * Campaign sends per day on the real stack (workflow, activities, fake Twilio): a campaign past the
 * tenant's daily quota does not fail — its workflow waits durably for the next UTC day with the rest
 * still pending, and carries on by itself (here: once the operator raises the limit and the campaign
 * is woken by a pause and resume), every recipient exactly once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { periodEnd } from '../../core/quotas';
import { campaignWorkflowId } from '../../core/ids';
import { Redis } from 'ioredis';
import { Quotas } from '../../quotas/quotas';
import { sharedServers } from '../support/shared-servers';
import { waitUntil } from '../support/wait';
import { campaignsOf, launch, makeCampaign, makeContacts, recipients, smsVariant, startSmsCampaignBench, tagged, waitForStatus, type SmsCampaignBench } from '../campaigns/support';

let sms: SmsCampaignBench;

beforeAll(async () => {
  sms = await startSmsCampaignBench({ QUOTA_CAMPAIGN_SENDS_PER_DAY: '2' });
}, 60_000);
afterAll(() => sms?.close());

it('sends the day’s quota, then waits for the next day instead of failing', async () => {
  const { bench, twilio, channel } = sms;
  const phones = Array.from({ length: 5 }, (_, i) => `+1555${String(process.pid).slice(-3)}${String(i).padStart(4, '0')}`);
  await makeContacts(bench, phones.map((phone) => ({ phone, tags: ['daily'], consent: { sms: 'in' as const } })));
  const id = await makeCampaign(bench, { audienceFilter: tagged('daily'), channels: ['sms'], channelIds: { sms: channel.id }, ratePerSecond: { sms: 0 }, variants: [smsVariant('Our spring menu is here')] });
  const client = await launch(bench, id);

  await waitUntil(() => twilio.messages.length >= 2, 20_000, 'the day’s two sends');
  // The workflow's next page finds no sends left today: it sleeps (a durable timer) until the next UTC midnight.
  await waitUntil(async () => (await campaignsOf(bench).campaignProgress(bench.tenantId, id))?.pending === 3, 20_000, 'three recipients waiting');
  await new Promise((r) => setTimeout(r, 1_000));
  expect(twilio.messages).toHaveLength(2);
  const waiting = await client.campaignProgress(bench.tenantId, id);
  expect(waiting).toMatchObject({ status: 'sending', sent: 2, pending: 3, failed: 0 });
  const history = await bench.stack.temporal.workflow.getHandle(campaignWorkflowId(bench.tenantId, id)).fetchHistory();
  const timers = (history.events ?? []).flatMap((e) => (e.timerStartedEventAttributes ? [Number(String(e.timerStartedEventAttributes.startToFireTimeout?.seconds ?? 0))] : []));
  // The wait ends at the next UTC midnight (give or take the time the test took).
  expect(Math.min(...timers.map((secs) => Math.abs(Date.now() / 1000 + secs - periodEnd('campaign_sends_per_day')!.getTime() / 1000)))).toBeLessThan(120);

  // The operator raises today's limit (the worker runs in this process: its limits cache is cleared at once); the campaign, woken, sends the rest.
  const redis = new Redis(sharedServers().redisUrl);
  await new Quotas(redis, bench.stack.orm, bench.stack.config).store.setOverrides(bench.tenantId, { campaign_sends_per_day: 100 }, { label: 'operator (test)', method: 'PUT', route: 'test', path: 'test', ip: 'local', userAgent: null });
  redis.disconnect();
  await client.campaignUpdate(bench.tenantId, id, 'pause', { by: 'approver' });
  await client.campaignUpdate(bench.tenantId, id, 'resume', { by: 'approver' });
  const done = await waitForStatus(bench, id, 'completed');
  expect(done).toMatchObject({ sent: 5, failed: 0, pending: 0 });
  expect(phones.map((p) => twilio.messages.filter((m) => m.to === p).length)).toEqual([1, 1, 1, 1, 1]);
  expect((await recipients(bench, id)).every((r) => r.status === 'sent')).toBe(true);
}, 90_000);
