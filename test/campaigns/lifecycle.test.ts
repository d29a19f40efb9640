/** transitionCampaign on real PostgreSQL: who and when are written, refusals, retries write once, events queued once. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSnapshot, CampaignTransition } from '../../activities/campaigns/types';
import { Campaign } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';

let deps: TestDeps;
beforeAll(async () => {
  deps = await testDeps({}, `campaign-events-${Date.now()}`);
});
afterAll(async () => {
  await deps.eventsQueue.obliterate({ force: true });
  await deps.close();
});

const variant = { id: 'A', content: { sms: { text: 'Tasting menu Friday! {{contact.firstName|there}}' } }, generatedBy: 'template-writer', warnings: [] };

async function draft(tenantId: string, patch: Partial<Campaign> = {}): Promise<string> {
  const em = tenantEm(deps.orm, tenantId);
  const row = em.create(Campaign, { tenant: tenantId, name: 'Tasting menu', channels: ['sms'], variants: [variant], ...patch } as Campaign);
  await em.flush();
  return row.id as string;
}

describe('transitionCampaign', () => {
  it('records submit and approval (audience snapshot) and queues each event once across retries', async () => {
    const t = await makeTenant(deps.orm);
    const id = await draft(t.tenantId, { audienceFilter: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'vip' }] } });
    const acts = activitiesFor(deps);
    const run = (activityId: string, attempt: number, input: CampaignTransition): Promise<CampaignSnapshot> => new MockActivityEnvironment({ activityId, attempt }).run(acts.transitionCampaign, input);

    expect((await run('@submit#1', 1, { tenantId: t.tenantId, campaignId: id, action: 'submit', by: 'u-m' })).status).toBe('awaiting_approval');
    // a retry of the same activity finds its own write
    expect((await run('@submit#1', 2, { tenantId: t.tenantId, campaignId: id, action: 'submit', by: 'u-m' })).status).toBe('awaiting_approval');
    await expect(run('@send#2', 1, { tenantId: t.tenantId, campaignId: id, action: 'send', by: 'system' })).rejects.toThrow(/cannot send a campaign that is awaiting approval/);
    const approved = await run('@approve#3', 1, { tenantId: t.tenantId, campaignId: id, action: 'approve', by: 'u-a' });
    expect(approved).toMatchObject({ status: 'scheduled', sendAt: null, abWaitMinutes: null });

    const row = await tenantEm(deps.orm, t.tenantId).findOneOrFail(Campaign, { id });
    expect(row).toMatchObject({ status: 'scheduled', submittedBy: 'u-m', approvedBy: 'u-a', workflowId: `camp:${t.tenantId}:${id}` });
    expect(row.audienceFilter).toEqual({ match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'vip' }] });
    expect(row.approvedAt).toBeInstanceOf(Date);

    const jobs = await deps.eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    const mine = jobs.filter((j) => j.data.tenantId === t.tenantId).map((j) => j.name).sort();
    expect(mine).toEqual(['campaign.approved', 'campaign.scheduled', 'campaign.submitted']);
  });

  it('refuses to submit a campaign without content, and cancel leaves no recipient pending', async () => {
    const t = await makeTenant(deps.orm);
    const id = await draft(t.tenantId, { variants: [] });
    const acts = activitiesFor(deps);
    const run = (input: CampaignTransition): Promise<CampaignSnapshot> => new MockActivityEnvironment().run(acts.transitionCampaign, input);
    await expect(run({ tenantId: t.tenantId, campaignId: id, action: 'submit', by: 'u' })).rejects.toThrow(/no content/);
    const cancelled = await run({ tenantId: t.tenantId, campaignId: id, action: 'cancel', by: 'u' });
    expect(cancelled.status).toBe('cancelled');
    const other = await makeTenant(deps.orm);
    await expect(new MockActivityEnvironment().run(acts.loadCampaign, { tenantId: other.tenantId, campaignId: id })).rejects.toThrow(/not found/);
  });

  it('generates the variants from the brief offline (template writer) and stores them', async () => {
    const t = await makeTenant(deps.orm);
    const brief = { goal: 'Fill the tasting menu nights', offer: 'Seven courses for 65 €', link: 'https://example.com/menu', channels: ['sms' as const, 'email' as const], variants: 2 };
    const id = await draft(t.tenantId, { variants: [], brief });
    const acts = activitiesFor(deps);
    const out = (await new MockActivityEnvironment().run(acts.generateCampaignVariants, { tenantId: t.tenantId, campaignId: id })) as { variants: { id: string; generatedBy: string; content: Record<string, unknown> }[] };
    expect(out.variants.map((v) => [v.id, v.generatedBy])).toEqual([['A', 'template-writer'], ['B', 'template-writer']]);
    expect(Object.keys(out.variants[0]!.content).sort()).toEqual(['email', 'sms']);
    const row = await tenantEm(deps.orm, t.tenantId).findOneOrFail(Campaign, { id });
    expect(row.variants).toHaveLength(2);
  });
});
