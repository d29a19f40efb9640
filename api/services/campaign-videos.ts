/**
 * The checks on a campaign variant's video when it is edited: a stored render must be the tenant's
 * and not failed or cancelled; a script's avatar and voice must be the tenant's and its variables
 * ones the sender can fill. A render still running is accepted: sending waits for it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignVariant } from '../../core/campaigns';
import { isKnownVariable, personalizationVariables } from '../../core/campaigns/personalize';
import { AppError } from '../../core/errors';
import { getAvatar, getVideoRender, getVoiceProfile } from '../../db/repos/renders';

export async function checkVariantVideos(em: EntityManager, variants: readonly CampaignVariant[]): Promise<void> {
  for (const [i, variant] of variants.entries()) {
    const video = variant.content.video;
    if (!video) continue;
    const field = `variants.${i}.content.video`;
    if (video.renderId) {
      const row = await getVideoRender(em, video.renderId);
      if (!row) throw new AppError('not_found', 'video not found', { field: `${field}.renderId` });
      if (row.status === 'failed' || row.status === 'canceled') throw new AppError('conflict', `the video is ${row.status}${row.error ? `: ${row.error}` : ''}; render it again or pick another`, { field: `${field}.renderId` });
      continue;
    }
    if (!(await getAvatar(em, video.avatarId!))) throw new AppError('not_found', 'avatar not found', { field: `${field}.avatarId` });
    if (video.voiceProfileId && !(await getVoiceProfile(em, video.voiceProfileId))) throw new AppError('not_found', 'voice profile not found', { field: `${field}.voiceProfileId` });
    const unknown = personalizationVariables(video.script!).filter((v) => !isKnownVariable(v));
    if (unknown.length) throw new AppError('validation_failed', `unknown variable ${unknown.map((v) => `{{${v}}}`).join(', ')} in the video script`, { field: `${field}.script` });
  }
}
