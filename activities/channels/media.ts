/**
 * `downloadInboundMedia` and `markInboundMedia`, the steps of workflows/fetchInboundMedia.ts: a
 * file an inbound message names is downloaded after the message went to its conversation, and its
 * outcome replaces the `pending` entry on the stored message, which is then published again so
 * the inbox shows the file (or why it failed) without a reload.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { tenantEm } from '../../db/orm';
import { Message } from '../../db/entities';
import { setAttachmentOutcome, storeMediaAsset } from '../../db/repos/channels-media';
import { toReply } from '../../db/repos/messages';
import { publishLive } from '../../events/live';
import { channelLoader } from '../../channels/directory';
import { ProviderError } from '../../channels/types';
import { makeThumbnail, THUMBNAIL_CONTENT_TYPE, thumbnailable } from '../../channels/thumbnails';
import { keepAlive } from '../context';
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';

/** ffmpeg gets at most 15 s, and never the last 5 s of the attempt's start-to-close timeout. */
function thumbnailBudget(startedAt: number): number {
  const attemptMs = Context.current().info.startToCloseTimeoutMs || 45_000;
  return Math.max(0, Math.min(15_000, attemptMs - (Date.now() - startedAt) - 5_000));
}

export function mediaActivities({ orm, redis, config }: ActivityDeps): Pick<SwitchboardActivities, 'downloadInboundMedia' | 'markInboundMedia'> {
  const channels = channelLoader(orm, config);

  /** The file fetched from the provider and stored, with its thumbnail when it can have one. */
  async function downloadAndStore({ tenantId, channelId, conversationId, messageExternalId, file }: Parameters<SwitchboardActivities['downloadInboundMedia']>[0]): ReturnType<SwitchboardActivities['downloadInboundMedia']> {
    const startedAt = Date.now();
    const channel = await channels.get(channelId);
    if (!channel) throw ApplicationFailure.nonRetryable('the channel no longer exists', 'NotFound');
    let fetched;
    try {
      if (!channel.adapter.fetchMedia) throw new ProviderError(`the ${channel.row.type} adapter cannot download attachments`, false);
      fetched = await channel.adapter.fetchMedia(channel.config, file.ref, { maxBytes: config.CHANNEL_MEDIA_MAX_BYTES });
    } catch (err) {
      // A refusal that cannot change (too large, not the provider's host, 4xx) is not retried.
      if (err instanceof ProviderError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, 'MediaRefused');
      throw err;
    }
    const contentType = file.contentType ?? fetched.contentType;
    const name = file.name ?? fetched.name;
    const em = tenantEm(orm, tenantId);
    const stored = { channelId, conversationId, messageExternalId };
    const asset = await storeMediaAsset(em, tenantId, { ...stored, ref: file.ref, contentType, name, data: fetched.data });
    // The preview is made within what is left of this attempt, so it can never fail the download.
    const thumbnail = thumbnailable(contentType) ? await makeThumbnail(fetched.data, contentType, { timeoutMs: thumbnailBudget(startedAt) }) : null;
    const thumb = thumbnail && (await storeMediaAsset(em, tenantId, { ...stored, ref: `${file.ref}#thumbnail`, contentType: THUMBNAIL_CONTENT_TYPE, name: 'thumbnail.jpg', data: thumbnail }));
    return { status: 'stored', mediaAssetId: asset.id, contentType, byteSize: asset.byteSize, ...(name ? { name } : {}), ...(thumb ? { thumbnailAssetId: thumb.id } : {}) };
  }

  return {
    async downloadInboundMedia(input) {
      // Heartbeats throughout: the workflow's heartbeat timeout notices a dead worker within 10 s,
      // long before the attempt's own 45 s are up.
      const stopKeepAlive = keepAlive(() => ({}));
      try {
        return await downloadAndStore(input);
      } finally {
        stopKeepAlive();
      }
    },

    async markInboundMedia({ tenantId, conversationId, messageExternalId, file, outcome }) {
      const em = tenantEm(orm, tenantId);
      const described = { ...(file.name ? { name: file.name } : {}), ...(file.contentType ? { contentType: file.contentType } : {}) };
      const entry = outcome.status === 'stored' ? { ...described, ...outcome } : { ...described, status: 'failed', ref: file.ref, error: outcome.error };
      const messageId = await setAttachmentOutcome(em, tenantId, conversationId, messageExternalId, file.index, entry);
      // The download can finish before the conversation stored the message: retried until it has.
      if (!messageId) throw new Error(`message ${messageExternalId} is not stored yet`);
      try {
        const stored = await em.fork().findOne(Message, { id: messageId });
        if (stored) await publishLive(redis, tenantId, conversationId, { type: 'message', message: { ...toReply(stored), author: 'contact' } });
      } catch {
        // cosmetic: the next transcript load shows the file
      }
    },
  };
}
