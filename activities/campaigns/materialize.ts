/**
 * Materialization (one keyset page of the audience → recipient rows) and the A/B decision. A
 * contact gets the first channel of the campaign's priority list it is eligible on; one not
 * eligible anywhere is skipped with the first channel's reason. With an A/B test a stable hash of
 * (campaign, contact) puts `sharePercent` of the audience in the test, split evenly across the
 * variants; the rest is held until the winner is known.
 */
import { createHash } from 'node:crypto';
import { EVERYONE_FILTER, eligibility, type AudienceRow, type CampaignChannel, type SkipReason } from '../../core/campaigns';
import type { Campaign } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { countAudience, pageAudience } from '../../db/repos/audience';
import { insertRecipients, releaseHeld, variantRates, type NewRecipient } from '../../db/repos/campaign-recipients';
import { defaultChannelIds, getCampaign, recipientCounts } from '../../db/repos/campaigns';
import type { ActivityDeps } from '../deps';
import type { CampaignActivities } from './types';

/** Two stable numbers from (campaign, contact): the A/B bucket (0–99) and the variant pick. */
function buckets(campaignId: string, contactId: string): [number, number] {
  const h = createHash('sha256').update(`${campaignId}:${contactId}`).digest();
  return [h.readUInt32BE(0) % 100, h.readUInt32BE(4)];
}

export function assignRecipient(row: AudienceRow, c: Pick<Campaign, 'id' | 'channels' | 'variants' | 'abTest' | 'winnerVariant'>, channelIds: Partial<Record<CampaignChannel, string>>): NewRecipient {
  let firstReason: SkipReason | null = null;
  for (const channel of c.channels) {
    const channelId = channelIds[channel];
    if (!channelId) continue;
    const e = eligibility(row, channel);
    if (!e.ok) {
      firstReason ??= e.reason;
      continue;
    }
    const base = { contactId: row.contactId, channel, channelId, address: e.address, skipReason: null };
    const variants = c.variants.map((v) => v.id);
    if (c.abTest && variants.length > 1 && !c.winnerVariant) {
      const [bucket, pick] = buckets(c.id, row.contactId);
      if (bucket >= c.abTest.sharePercent) return { ...base, variant: null, status: 'held' };
      return { ...base, variant: variants[pick % variants.length]!, status: 'pending' };
    }
    return { ...base, variant: c.winnerVariant ?? variants[0] ?? null, status: 'pending' };
  }
  return { contactId: row.contactId, channel: null, channelId: null, address: null, variant: null, status: 'skipped', skipReason: firstReason ?? 'no_address' };
}

export function materializeActivities({ orm }: ActivityDeps): Pick<CampaignActivities, 'materializeCampaignPage' | 'decideCampaignWinner'> {
  return {
    async materializeCampaignPage({ tenantId, campaignId, afterContactId, limit }) {
      const em = tenantEm(orm, tenantId);
      const c = await getCampaign(em, campaignId);
      const filter = c.audienceFilter ?? EVERYONE_FILTER;
      const rows = await pageAudience(em, filter, { ...(afterContactId ? { afterContactId } : {}), limit });
      const channelIds = { ...(await defaultChannelIds(em, tenantId)), ...c.channelIds } as Partial<Record<CampaignChannel, string>>;
      await insertRecipients(em, tenantId, campaignId, rows.map((row) => assignRecipient(row, c, channelIds)));
      const counts = await recipientCounts(em, campaignId);
      const done = rows.length < limit;
      // While the audience is still being read, the target is what the filter counts now.
      if (!done) counts.targeted = Math.max(counts.materialized, (await countAudience(em, filter)).total);
      return { afterContactId: rows.at(-1)?.contactId ?? afterContactId, done, counts };
    },

    async decideCampaignWinner({ tenantId, campaignId }) {
      const em = tenantEm(orm, tenantId);
      const c = await getCampaign(em, campaignId);
      const metric = c.abTest?.metric ?? 'reply';
      const rates = await variantRates(em, campaignId);
      const rate = (r: (typeof rates)[number]) => (r.sent ? (metric === 'click' ? r.clicked : r.replied) / r.sent : 0);
      // Best rate wins; a tie goes to the earlier variant (A before B).
      const best = rates.reduce<(typeof rates)[number] | null>((top, r) => (!top || rate(r) > rate(top) ? r : top), null);
      const winnerVariant = c.winnerVariant ?? best?.variant ?? c.variants[0]?.id ?? 'A';
      c.winnerVariant = winnerVariant;
      await em.flush();
      await releaseHeld(em, campaignId, winnerVariant);
      return { winnerVariant, counts: await recipientCounts(em, campaignId) };
    },
  };
}
