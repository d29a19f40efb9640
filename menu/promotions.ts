/**
 * Promotions: the rules of core/menu/promotions.ts choose them from the period's matrix and
 * weekday sales; the copy (an SMS and social captions) is written by the campaign content writer
 * (campaigns/content/generate.ts) — the tenant's model in its brand voice, or, with no model, the
 * offline template writer, which the promotion's `copyBy` and notes then say.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { promotionBrief, proposePromotions } from '../core/menu/promotions';
import { generateCampaignContent, TEMPLATE_WRITER } from '../campaigns/content/generate';
import type { ContentDeps } from '../campaigns/content/store';
import { matrixWithCurrency } from './insights';
import { clearProposed, insertPromotion, salesByWeekday, type PeriodQuery, type StoredPromotion } from './store';

export const OFFLINE_COPY_NOTE = `Written offline by the ${TEMPLATE_WRITER}: no model is configured for this tenant, so the copy restates the offer without a brand-voice rewrite.`;

/** Replaces the open proposals with new ones for the period; decided ones stay. */
export async function generatePromotions(deps: ContentDeps, em: EntityManager, tenantId: string, period: PeriodQuery, opts: { brandVoiceId?: string } = {}): Promise<StoredPromotion[]> {
  const [matrix, week] = await Promise.all([matrixWithCurrency(em, tenantId, period), salesByWeekday(em, tenantId, period)]);
  const proposals = proposePromotions(matrix, week, matrix.currency);
  // Copy first: a model outage fails the request before the open proposals are replaced.
  const written = await Promise.all(
    proposals.map(async (p) => {
      const content = await generateCampaignContent(deps, tenantId, promotionBrief(p, ['sms'], opts.brandVoiceId), { workflowId: 'menu-promotions' });
      const notes = [...content.warnings, ...(content.generatedBy === TEMPLATE_WRITER && !content.warnings.length ? [OFFLINE_COPY_NOTE] : []), ...content.variants[0]!.warnings];
      return { p, copy: content.variants[0]!.content, copyBy: content.generatedBy, notes };
    }),
  );
  await clearProposed(em, tenantId);
  const stored: StoredPromotion[] = [];
  for (const w of written) {
    stored.push(await insertPromotion(em, tenantId, { ...w.p, copy: w.copy as Record<string, unknown>, copyBy: w.copyBy, copyNotes: w.notes, periodFrom: period.from, periodTo: period.to }));
  }
  return stored;
}
