/**
 * A script spoken in a voice, once: the MP3 is kept in the media store under the hash of (text,
 * voice), so a second render with the same words and voice (a retried render, a re-render with
 * another avatar) pays ElevenLabs nothing. ElevenLabs when the tenant has an account, else the
 * voice's own provider must be espeak-ng: an ElevenLabs profile without any account is refused
 * rather than silently spoken by another voice.
 */
import { mediaKeys, type VoiceProvider, type VoiceSettings } from '../core/renders';
import { speechHash } from '../core/render-keys';
import type { MediaStore } from '../media/store';
import { elevenLabsSpeech } from './elevenlabs';
import type { SpeechEndpoint } from './endpoints';
import { RenderProviderError } from './errors';
import { espeakSpeech } from './espeak';

export interface SpeechVoice {
  provider: VoiceProvider;
  voiceId: string;
  modelId: string | null;
  settings: VoiceSettings;
}

/** A render without a voice profile speaks with espeak-ng's American English voice. */
export const DEFAULT_VOICE: SpeechVoice = { provider: 'espeak', voiceId: 'en-us', modelId: null, settings: {} };

export interface SpokenScript {
  key: string;
  /** Characters ElevenLabs billed for this call (0 from the cache or espeak). */
  characters: number;
  cached: boolean;
}

export async function speakScript(store: MediaStore, endpoint: SpeechEndpoint | null, tenantId: string, voice: SpeechVoice, text: string): Promise<SpokenScript> {
  const modelId = voice.provider === 'elevenlabs' ? (voice.modelId ?? endpoint?.modelId ?? null) : null;
  const key = mediaKeys.speech(tenantId, speechHash(text, { ...voice, modelId }), 'mp3');
  if (await store.head(key)) return { key, characters: 0, cached: true };
  let audio: Buffer;
  let characters = 0;
  if (voice.provider === 'elevenlabs') {
    if (!endpoint) throw new RenderProviderError('auth', 'this voice is an ElevenLabs voice, but no ElevenLabs key is set (Settings → ElevenLabs, or ELEVENLABS_API_KEY)');
    audio = await elevenLabsSpeech(endpoint, { voiceId: voice.voiceId, modelId: modelId!, settings: voice.settings, text });
    characters = text.length;
  } else audio = await espeakSpeech({ voiceId: voice.voiceId, settings: voice.settings, text });
  await store.put(key, audio, 'audio/mpeg');
  return { key, characters, cached: false };
}
