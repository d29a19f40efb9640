/**
 * `generateCampaignVariants`: the campaign's content written from its brief (campaigns/content:
 * the model with the brand voice, or the offline template writer; limits enforced after) and
 * stored on the row. Regenerating one channel keeps the others (`previous`).
 */
import { ApplicationFailure } from '@temporalio/common';
import { generateCampaignContent } from '../../campaigns/content/generate';
import { campaignWorkflowId } from '../../core/ids';
import { tenantEm } from '../../db/orm';
import { getCampaign } from '../../db/repos/campaigns';
import type { ActivityDeps } from '../deps';
import type { CampaignGenerateActivities } from './types';

export function generateActivities({ orm, config, redis }: ActivityDeps): CampaignGenerateActivities {
  return {
    async generateCampaignVariants({ tenantId, campaignId, brief, channelsOnly }) {
      const em = tenantEm(orm, tenantId);
      const row = await getCampaign(em, campaignId);
      const use = brief ?? row.brief;
      if (!use) throw ApplicationFailure.create({ type: 'validation_failed', message: 'the campaign has no brief to write from', details: ['brief'], nonRetryable: true });
      const { variants } = await generateCampaignContent({ orm, config, redis }, tenantId, use, {
        ...(channelsOnly?.length ? { channelsOnly } : {}),
        ...(row.variants.length ? { previous: row.variants } : {}),
        workflowId: campaignWorkflowId(tenantId, campaignId),
      });
      // The row is read again: a user's edit while the model wrote must not be lost for the other fields.
      const fresh = await getCampaign(em.fork(), campaignId);
      // The model writes text; a variant's video is the marketer's choice and stays through a rewrite.
      const kept = variants.map((v) => {
        const video = fresh.variants.find((p) => p.id === v.id)?.content.video;
        return video ? { ...v, content: { ...v.content, video } } : v;
      });
      fresh.variants = kept;
      if (brief) fresh.brief = brief;
      await em.fork().persist(fresh).flush();
      return { variants: kept };
    },
  };
}
