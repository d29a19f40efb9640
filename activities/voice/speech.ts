/**
 * The speech activities over voice/ (engines, cache, conversions) and media/ (the store): the
 * tenant, its voice profile and its provider keys are read here, when the activity runs. The
 * engine that spoke or listened is in the result, so the run history names a fallback.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AppError } from '../../core/errors';
import { tenantEm } from '../../db/orm';
import { getVoiceProfile } from '../../db/repos/renders';
import { secretBoxFromConfig } from '../../db/secrets';
import { mediaStoreFromConfig, tenantOfKey, type MediaStore } from '../../media/store';
import { speechEngines, speechVoiceOf } from '../../voice/setup';
import { transcribe } from '../../voice/stt';
import { synthesize } from '../../voice/tts';
import { activityContext } from '../context';
import type { ActivityDeps } from '../deps';
import { loadTenant } from '../tenant';
import type { SpeechActivities } from './types';

/** ElevenLabs' longest request; a spoken prompt is far shorter. */
export const MAX_SPEECH_CHARACTERS = 5000;

export function speechActivities(deps: ActivityDeps): SpeechActivities {
  let store: MediaStore | undefined;
  const media = () => (store ??= mediaStoreFromConfig(deps.config));
  const engines = async (tenantId: string) => speechEngines(deps.config, await loadTenant(deps.orm, tenantId), (s) => secretBoxFromConfig(deps.config).decrypt(s));
  const warn = (message: string, meta: Record<string, unknown>) => activityContext()?.log.warn(message, meta);

  return {
    async synthesizeSpeech(input) {
      const text = input.text.trim();
      if (!text) throw new AppError('bad_request', 'text: nothing to say', { field: 'text' });
      if (text.length > MAX_SPEECH_CHARACTERS) throw new AppError('bad_request', `text: at most ${MAX_SPEECH_CHARACTERS} characters`, { field: 'text' });
      const profile = input.voiceProfileId ? await getVoiceProfile(tenantEm(deps.orm, input.tenantId), input.voiceProfileId) : null;
      if (input.voiceProfileId && !profile) warn('voice profile not found: espeak-ng speaks', { voiceProfileId: input.voiceProfileId });
      const { elevenlabs } = await engines(input.tenantId);
      return synthesize(
        { store: media(), elevenlabs, urlTtlSeconds: deps.config.MEDIA_URL_TTL_SECONDS, onFallback: (engine, reason) => warn('speech engine passed over', { engine, reason }) },
        { tenantId: input.tenantId, text, voice: speechVoiceOf(profile), format: input.format },
      );
    },

    async transcribeAudio(input) {
      // Another tenant's key, or a malformed one, is simply not found.
      if (tenantOfKey(input.mediaKey) !== input.tenantId || !(await media().head(input.mediaKey))) {
        throw new AppError('not_found', 'recording not found', { field: 'mediaKey' });
      }
      const { transcription } = await engines(input.tenantId);
      const dir = await mkdtemp(join(tmpdir(), 'transcribe-'));
      try {
        const fileName = basename(input.mediaKey);
        const path = join(dir, fileName);
        await media().download(input.mediaKey, path);
        return await transcribe(
          { endpoint: transcription, onFallback: (reason) => warn('transcription provider failed: PocketSphinx transcribes', { reason }) },
          { path, fileName, language: input.language },
        );
      } finally {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }
    },
  };
}
