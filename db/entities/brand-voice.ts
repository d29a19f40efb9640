import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { EmojiPolicy } from '../../core/campaigns/brand-voice';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** How a tenant's messages sound (core/campaigns/brand-voice.ts); at most one is the default. */
export const BrandVoice = defineEntity({
  name: 'BrandVoice',
  tableName: 'brand_voices',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    name: p.text(),
    tone: p.text().default(''),
    useWords: p.array<string>().defaultRaw(`'{}'`),
    avoidWords: p.array<string>().defaultRaw(`'{}'`),
    examples: p.array<string>().defaultRaw(`'{}'`),
    emojiPolicy: p.string().$type<EmojiPolicy>().default('sparingly'),
    language: p.string().length(20).default('en'),
    isDefault: p.boolean().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type BrandVoice = InferEntity<typeof BrandVoice>;
