import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { VOICE_PROVIDERS, type VoiceSettings } from '../../core/renders';
import { createdAt, jsonObject, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** A voice a tenant's avatars speak with: an ElevenLabs voice (id, model, settings) or an espeak-ng voice (`en-us`…). */
export const VoiceProfile = defineEntity({
  name: 'VoiceProfile',
  tableName: 'voice_profiles',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    name: p.text(),
    provider: p.enum(VOICE_PROVIDERS),
    voiceId: p.text(),
    /** ElevenLabs model; null → ELEVENLABS_MODEL_ID. */
    modelId: p.text().nullable(),
    settings: jsonObject<VoiceSettings>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type VoiceProfile = InferEntity<typeof VoiceProfile>;
