/**
 * In-memory campaigns for workflow tests and the replay recorder: the row's status moves as
 * transitionCampaign says (refusing what the real activity refuses), with sendAt set per test.
 */
import { refuseAction, type CampaignStatus } from '../../../core/campaigns';
import type { CampaignActivities, CampaignSnapshot } from '../../../activities/campaigns/types';
import type { CampaignCounts } from '../../../core/campaigns';

interface FakeCampaign {
  status: CampaignStatus;
  sendAt: string | null;
  ratePerSecond: CampaignSnapshot['ratePerSecond'];
  /** Contacts in the audience (default 0); every third one from `skipEvery` on is skipped for no consent. */
  audience?: number;
  /** A/B: this share of the audience is tested (A and B alternating), the rest held for the winner. */
  abSharePercent?: number;
  abWaitMinutes?: number;
  winner?: string | null;
  /** The run's own `complete` transition waits for this (after calling `reached`): an action can be sent meanwhile. */
  holdComplete?: { reached: () => void; release: Promise<void> };
  /** Recipient rows: status per contact index. */
  rows?: { status: 'pending' | 'held' | 'sent' | 'skipped' | 'cancelled'; variant: string | null }[];
  /** Sends per contact index (the tests check exactly once). */
  sends?: number[];
}

/** Campaign id → its row; tests seed sendAt through `fakeCampaigns.set(id, …)` before starting. */
export const fakeCampaigns = new Map<string, FakeCampaign>();

const row = (id: string): FakeCampaign => {
  let r = fakeCampaigns.get(id);
  if (!r) fakeCampaigns.set(id, (r = { status: 'draft', sendAt: null, ratePerSecond: {} }));
  return r;
};
const snapshot = (r: FakeCampaign): CampaignSnapshot => ({ status: r.status, sendAt: r.sendAt, ratePerSecond: { ...r.ratePerSecond }, winnerVariant: r.winner ?? null, abWaitMinutes: r.abSharePercent ? (r.abWaitMinutes ?? 60) : null });

function counts(r: FakeCampaign): CampaignCounts {
  const rows = r.rows ?? [];
  const n = (status: string) => rows.filter((x) => x.status === status).length;
  return { targeted: r.audience ?? 0, materialized: rows.length, sent: n('sent'), failed: 0, skipped: { no_consent: n('skipped'), no_address: 0, opted_out: 0 }, deferred: 0, pending: n('pending'), held: n('held'), cancelled: n('cancelled') };
}

const TARGET: Partial<Record<string, CampaignStatus>> = { submit: 'awaiting_approval', approve: 'scheduled', requestChanges: 'changes_requested', send: 'sending', pause: 'paused', cancel: 'cancelled', complete: 'completed', fail: 'failed' };

export const campaignFakes = (): CampaignActivities => ({
  loadCampaign: async ({ campaignId }) => snapshot(row(campaignId)),
  generateCampaignVariants: async () => ({ variants: [{ id: 'A', content: { sms: { text: 'Tasting menu Friday' } }, generatedBy: 'template-writer', warnings: [] }] }),
  transitionCampaign: async ({ campaignId, action, resumeTo, ratePerSecond }) => {
    const r = row(campaignId);
    if (action === 'complete' && r.holdComplete) {
      r.holdComplete.reached();
      await r.holdComplete.release;
    }
    const refusal = refuseAction(action, r.status);
    if (refusal) throw new Error(refusal);
    if (action === 'changeRate') r.ratePerSecond = { ...r.ratePerSecond, ...ratePerSecond };
    r.status = action === 'resume' ? (resumeTo ?? 'scheduled') : (TARGET[action] ?? r.status);
    if (action === 'cancel') for (const x of r.rows ?? []) if (x.status === 'pending' || x.status === 'held') x.status = 'cancelled';
    return snapshot(r);
  },
  materializeCampaignPage: async ({ campaignId, afterContactId, limit }) => {
    const r = row(campaignId);
    r.rows ??= [];
    const from = afterContactId === null ? 0 : Number(afterContactId) + 1;
    const to = Math.min(r.audience ?? 0, from + limit);
    for (let i = from; i < to; i++) {
      if (r.rows[i]) continue;
      const tested = !r.abSharePercent || i % 100 < r.abSharePercent;
      r.rows[i] = i % 7 === 6 ? { status: 'skipped', variant: null } : tested ? { status: 'pending', variant: r.abSharePercent ? (i % 2 ? 'B' : 'A') : 'A' } : { status: 'held', variant: null };
    }
    return { afterContactId: to > from ? String(to - 1) : afterContactId, done: to - from < limit, counts: counts(r) };
  },
  sendCampaignPage: async ({ campaignId, limit }) => {
    const r = row(campaignId);
    r.sends ??= [];
    let claimed = 0;
    for (const [i, x] of (r.rows ?? []).entries()) {
      if (claimed >= limit || r.status !== 'sending') break;
      if (x.status !== 'pending') continue;
      x.status = 'sent';
      r.sends[i] = (r.sends[i] ?? 0) + 1;
      claimed++;
    }
    return { claimed, counts: counts(r), nextSendAfter: null };
  },
  decideCampaignWinner: async ({ campaignId }) => {
    const r = row(campaignId);
    r.winner ??= 'B';
    for (const x of r.rows ?? []) if (x.status === 'held') Object.assign(x, { status: 'pending', variant: r.winner });
    return { winnerVariant: r.winner, counts: counts(r) };
  },
});
