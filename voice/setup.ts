/**
 * Which engines a tenant's speech uses, for the activities and the widget's voice route alike:
 * ElevenLabs (the tenant's account, else the operator's; renders/endpoints.ts), the first LLM
 * provider's OpenAI-compatible `/audio/transcriptions` with TRANSCRIPTION_MODEL, and the voice of
 * a voice profile row. Keys are decrypted here, in memory, when used.
 */
import type { Config } from '../core/config';
import type { Tenant, VoiceProfile } from '../db/entities';
import { tenantProviders } from '../llm/providers';
import { speechEndpoint, type SpeechEndpoint } from '../renders/endpoints';
import type { SpeechVoice } from '../renders/speech';
import type { TranscriptionEndpoint } from './stt';

export interface SpeechEngines {
  elevenlabs: SpeechEndpoint | null;
  transcription: TranscriptionEndpoint | null;
}

export function speechEngines(config: Config, tenant: Tenant, decrypt: (s: string) => string): SpeechEngines {
  const [llm] = tenantProviders(tenant, config);
  return {
    elevenlabs: speechEndpoint(config, tenant.settings, decrypt),
    transcription: llm ? { baseURL: llm.baseURL, apiKey: llm.apiKey, policy: llm.policy, model: config.TRANSCRIPTION_MODEL } : null,
  };
}

export const speechVoiceOf = (row: Pick<VoiceProfile, 'provider' | 'voiceId' | 'modelId' | 'settings'> | null): SpeechVoice | null =>
  row ? { provider: row.provider, voiceId: row.voiceId, modelId: row.modelId ?? null, settings: row.settings } : null;
