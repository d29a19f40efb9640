import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ASPECT_RATIOS } from '../../core/renders';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';
import { VoiceProfile } from './voice-profile';

/** A presenter: an uploaded image (validated, in the media store) or a D-ID presenter id; its voice and defaults. */
export const Avatar = defineEntity({
  name: 'Avatar',
  tableName: 'avatars',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    name: p.text(),
    /** Media store key of the presenter image (`t/{tenant}/avatars/{id}.{ext}`); null for a D-ID presenter. */
    imageKey: p.text().nullable(),
    imageContentType: p.string().nullable(),
    imageWidth: p.integer().nullable(),
    imageHeight: p.integer().nullable(),
    imageSha256: p.string().length(64).nullable(),
    /** D-ID presenter id (`/clips`); null for an uploaded image. */
    presenterId: p.text().nullable(),
    voiceProfile: p.manyToOne(VoiceProfile).mapToPk().nullable().deleteRule('set null'),
    background: p.string().length(7).default('#ffffff'),
    aspectRatio: p.enum(ASPECT_RATIOS).default('16:9'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Avatar = InferEntity<typeof Avatar>;
