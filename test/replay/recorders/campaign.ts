/**
 * `campaign` recordings with the in-memory campaign fakes: (1) scheduled a few seconds ahead, an
 * A/B test on half the audience, the winner sent to the rest; (2) changes requested, approved,
 * paused, resumed, its rate changed, cancelled; (3) a campaign long enough to continue as new (its
 * first run, ending in continue-as-new, and its last run, started from the carried state).
 */
import { randomUUID } from 'node:crypto';
import { campaignWorkflowId } from '../../../core/ids';
import { CampaignClient } from '../../../temporal/campaigns';
import { fakeCampaigns } from '../../workflows/support/campaign-fakes';
import { expectPath, type Recorder } from './types';

type Ctx = Parameters<Recorder['record']>[0];

async function approved(h: Ctx['h'], id: string, changes = false): Promise<CampaignClient> {
  const client = new CampaignClient(h.client, h.taskQueue);
  await client.startCampaign('t1', id);
  await client.campaignUpdate('t1', id, 'submit', { by: 'marketer' });
  if (changes) {
    await client.campaignUpdate('t1', id, 'requestChanges', { by: 'approver', comment: 'Mention the date' });
    await client.campaignUpdate('t1', id, 'submit', { by: 'marketer' });
  }
  await client.campaignUpdate('t1', id, 'approve', { by: 'approver', role: 'approver' });
  return client;
}

export const campaignRecorders: Record<string, Recorder> = {
  'campaign-scheduled-ab': {
    async record({ h, save }) {
      const id = `c-ab-${randomUUID()}`;
      fakeCampaigns.set(id, { status: 'draft', sendAt: new Date(Date.now() + 2_000).toISOString(), ratePerSecond: {}, audience: 60, abSharePercent: 50, abWaitMinutes: 0.02 });
      await approved(h, id);
      const workflowId = campaignWorkflowId('t1', id);
      const result = await h.client.workflow.getHandle(workflowId).result();
      const sends = fakeCampaigns.get(id)!.sends ?? [];
      expectPath(result.status === 'completed' && result.winnerVariant === 'B' && sends.every((n) => n === undefined || n === 1), `scheduled, A/B, winner to the rest (${result.status}, ${result.winnerVariant})`);
      await save('campaign-scheduled-ab', workflowId);
    },
  },
  'campaign-changes-pause-cancel': {
    async record({ h, save }) {
      const id = `c-pause-${randomUUID()}`;
      fakeCampaigns.set(id, { status: 'draft', sendAt: new Date(Date.now() + 86_400_000).toISOString(), ratePerSecond: {}, audience: 10 });
      const client = await approved(h, id, true);
      await client.campaignUpdate('t1', id, 'pause', { by: 'approver' });
      await client.campaignUpdate('t1', id, 'resume', { by: 'approver' });
      await client.campaignUpdate('t1', id, 'changeRate', { by: 'approver', ratePerSecond: { sms: 5 } });
      const refused = await client.campaignUpdate('t1', id, 'approve', { by: 'approver', role: 'approver' }).then(() => false, () => true);
      await client.campaignUpdate('t1', id, 'cancel', { by: 'approver' });
      const workflowId = campaignWorkflowId('t1', id);
      const result = await h.client.workflow.getHandle(workflowId).result();
      expectPath(refused && result.status === 'cancelled', `changes, pause, resume, rate, refused approval, cancel (${result.status})`);
      await save('campaign-changes-pause-cancel', workflowId);
    },
  },
  'campaign-continue-as-new': {
    async record({ h, save }) {
      const id = `c-can-${randomUUID()}`;
      fakeCampaigns.set(id, { status: 'draft', sendAt: null, ratePerSecond: { sms: 1 }, audience: 1200 });
      await approved(h, id);
      const workflowId = campaignWorkflowId('t1', id);
      const handle = h.client.workflow.getHandle(workflowId);
      const result = await handle.result();
      const last = await handle.describe();
      const firstRunId = last.raw.workflowExecutionInfo?.firstRunId ?? '';
      expectPath(result.status === 'completed' && firstRunId !== last.runId, `continued as new, then completed (${result.status})`);
      await save('campaign-continue-as-new-first', workflowId, firstRunId);
      await save('campaign-continue-as-new-last', workflowId);
    },
  },
};
