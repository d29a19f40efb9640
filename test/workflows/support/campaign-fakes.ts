/**
 * In-memory campaigns for workflow tests and the replay recorder: the row's status moves as
 * transitionCampaign says (refusing what the real activity refuses), with sendAt set per test.
 */
import { refuseAction, type CampaignStatus } from '../../../core/campaigns';
import type { CampaignActivities, CampaignSnapshot } from '../../../activities/campaigns/types';

interface FakeCampaign {
  status: CampaignStatus;
  sendAt: string | null;
  ratePerSecond: CampaignSnapshot['ratePerSecond'];
}

/** Campaign id → its row; tests seed sendAt through `fakeCampaigns.set(id, …)` before starting. */
export const fakeCampaigns = new Map<string, FakeCampaign>();

const row = (id: string): FakeCampaign => {
  let r = fakeCampaigns.get(id);
  if (!r) fakeCampaigns.set(id, (r = { status: 'draft', sendAt: null, ratePerSecond: {} }));
  return r;
};
const snapshot = (r: FakeCampaign): CampaignSnapshot => ({ status: r.status, sendAt: r.sendAt, ratePerSecond: { ...r.ratePerSecond }, winnerVariant: null, abWaitMinutes: null });

const TARGET: Partial<Record<string, CampaignStatus>> = { submit: 'awaiting_approval', approve: 'scheduled', requestChanges: 'changes_requested', send: 'sending', pause: 'paused', cancel: 'cancelled', complete: 'completed', fail: 'failed' };

export const campaignFakes = (): Pick<CampaignActivities, 'loadCampaign' | 'transitionCampaign'> => ({
  loadCampaign: async ({ campaignId }) => snapshot(row(campaignId)),
  transitionCampaign: async ({ campaignId, action, resumeTo, ratePerSecond }) => {
    const r = row(campaignId);
    const refusal = refuseAction(action, r.status);
    if (refusal) throw new Error(refusal);
    if (action === 'changeRate') r.ratePerSecond = { ...r.ratePerSecond, ...ratePerSecond };
    r.status = action === 'resume' ? (resumeTo ?? 'scheduled') : (TARGET[action] ?? r.status);
    return snapshot(r);
  },
});
