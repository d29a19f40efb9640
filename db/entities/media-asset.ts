import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** A file that arrived on (or was sent through) a channel, downloaded once and kept with the conversation. */
export const MediaAsset = defineEntity({
  name: 'MediaAsset',
  tableName: 'media_assets',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    channelId: p.uuid().nullable(),
    conversationId: p.uuid().nullable().index(),
    /** The provider message the file came with; (message, ref) is unique so a retried download stores once. */
    messageExternalId: p.string().nullable(),
    /** Provider media id or URL. */
    ref: p.text(),
    contentType: p.string(),
    name: p.string().nullable(),
    byteSize: p.integer(),
    sha256: p.string().length(64),
    content: p.blob().lazy(),
    createdAt: createdAt(),
  },
});
export type MediaAsset = InferEntity<typeof MediaAsset>;
