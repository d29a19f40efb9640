/**
 * A worker killed mid-send (SIGKILL, like a lost machine): another worker takes the campaign over
 * after the send page's heartbeat times out, and every recipient gets exactly one SMS — the rows
 * already sent are done, the ones whose send was in flight are found at the provider
 * (retryingSince) instead of being sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCampaignLoad, type CampaignLoad } from '../campaigns/load';
import { waitUntil } from '../support/wait';

const CONTACTS = 1500;
let load: CampaignLoad;

beforeAll(async () => {
  load = await startCampaignLoad({ contacts: CONTACTS });
}, 120_000);
afterAll(() => load?.close());

describe('campaign: a worker killed mid-send', () => {
  it('sends every recipient exactly once after another worker takes over', async () => {
    const first = await load.startWorker();
    await load.launch();
    await waitUntil(() => load.twilio.messages.length >= 200, 60_000, '200 sends');
    await first.kill('SIGKILL');
    const sentBeforeCrash = load.twilio.messages.length;
    expect(sentBeforeCrash).toBeLessThan(CONTACTS);
    await load.startWorker();
    await waitUntil(async () => (await load.client.campaignProgress(load.tenantId, load.campaignId))?.status === 'completed', 150_000, 'campaign completed');
    expect(load.verify()).toEqual({ sent: CONTACTS, duplicates: 0, missed: 0 });
    const rows = (await load.sql.query(`select status, count(*)::int as n from campaign_recipients where campaign_id = $1 group by 1`, [load.campaignId])).rows;
    expect(rows).toEqual([{ status: 'sent', n: CONTACTS }]);
  }, 240_000);
});
