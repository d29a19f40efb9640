/**
 * The provider asks a campaign to slow down in the middle of a page (Twilio's 429 with
 * Retry-After): the page stops, what it had sent is written, and the page runs again later; every
 * recipient still gets exactly one SMS and the campaign completes with none failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, makeCampaign, makeContacts, smsVariant, startSmsCampaignBench, tagged, waitForStatus, type SmsCampaignBench } from './support';

let sms: SmsCampaignBench;
let phones = 0;
const newPhone = () => `+1445${String(process.pid).slice(-3)}${String(++phones).padStart(4, '0')}`;

beforeAll(async () => {
  sms = await startSmsCampaignBench();
}, 60_000);
afterAll(() => sms?.close());

describe('an SMS campaign the provider throttles', () => {
  it('retries the page after Retry-After: every recipient exactly once, none failed', async () => {
    const { bench, twilio, channel } = sms;
    const list = Array.from({ length: 40 }, () => newPhone());
    await makeContacts(bench, list.map((phone) => ({ phone, tags: ['throttled'], consent: { sms: 'in' as const } })));
    const id = await makeCampaign(bench, { audienceFilter: tagged('throttled'), channels: ['sms'], channelIds: { sms: channel.id }, ratePerSecond: { sms: 0 }, variants: [smsVariant('The terrace opens on Friday')] });
    twilio.failNext({ status: 429, code: 20429, retryAfterSeconds: 1 });
    await launch(bench, id);
    const done = await waitForStatus(bench, id, 'completed');
    expect(done).toMatchObject({ sent: list.length, failed: 0, pending: 0 });
    expect(list.map((p) => twilio.messages.filter((m) => m.to === p).length)).toEqual(list.map(() => 1));
    const rows = await bench.rows(`select status, count(*)::int as n from campaign_recipients where campaign_id = $1 group by 1`, [id]);
    expect(rows).toEqual([{ status: 'sent', n: list.length }]);
    // the refused request was answered 429 and retried; nothing else went out twice
    expect(twilio.requests.filter((r) => r.method === 'POST').length).toBe(list.length + 1);
  });
});
