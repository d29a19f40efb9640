/**
 * Inbound files for browser tests, stored and published the way the download workflow does it:
 * an 800×600 photo from ffmpeg's test pattern with the thumbnail `makeThumbnail` makes of it, and
 * `settle`, which writes an outcome into the message as markInboundMedia does and publishes the
 * message again on its live channels.
 */
import { execFileSync } from 'node:child_process';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { makeThumbnail } from '../../../channels/thumbnails';
import { Message } from '../../../db/entities';
import { tenantEm } from '../../../db/orm';
import { setAttachmentOutcome, storeMediaAsset, toReply } from '../../../db/repos';
import { publishLive } from '../../../events/live';

export const PHOTO = execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=800x600', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1']);

export interface MessageRef {
  orm: MikroORM;
  redis: Redis;
  tenantId: string;
  conversationId: string;
  externalId: string;
}

/** Stores PHOTO and its thumbnail for the message's file; returns the `stored` entry and the two asset ids. */
export async function storePhoto({ orm, tenantId, conversationId, externalId }: MessageRef, name: string) {
  const em = tenantEm(orm, tenantId);
  const at = { channelId: null as unknown as string, conversationId, messageExternalId: externalId };
  const asset = await storeMediaAsset(em, tenantId, { ...at, ref: `${externalId}-media`, contentType: 'image/png', name, data: PHOTO });
  const thumb = await storeMediaAsset(em, tenantId, { ...at, ref: `${externalId}-media#thumbnail`, contentType: 'image/jpeg', name: 'thumbnail.jpg', data: (await makeThumbnail(PHOTO, 'image/png'))! });
  return { assetId: asset.id, thumbnailId: thumb.id, entry: { status: 'stored', mediaAssetId: asset.id, contentType: 'image/png', byteSize: asset.byteSize, name, thumbnailAssetId: thumb.id } };
}

/** What markInboundMedia does with an outcome: file 0's entry replaced, the message published again. */
export async function settle({ orm, redis, tenantId, conversationId, externalId }: MessageRef, entry: Record<string, unknown>) {
  const em = tenantEm(orm, tenantId);
  const id = await setAttachmentOutcome(em, tenantId, conversationId, externalId, 0, entry);
  await publishStored(redis, orm, tenantId, conversationId, id!);
}

/** Publishes a stored message on its conversation's live channels, as the activities do. */
export async function publishStored(redis: Redis, orm: MikroORM, tenantId: string, conversationId: string, messageId: string) {
  const stored = await tenantEm(orm, tenantId).findOneOrFail(Message, { id: messageId });
  await publishLive(redis, tenantId, conversationId, { type: 'message', message: toReply(stored) });
}
