/**
 * `/v1/voices`: the tenant's voice profiles (ElevenLabs voices with their settings, or espeak-ng
 * voices), the provider's own voice list for the picker, and a spoken sample (cached by content
 * hash like every render's speech) to listen to before rendering.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { providerVoiceList, voiceProfileBody, voiceProfileList, voiceProfilePatch, voiceProfileSchema, voiceSampleBody, voiceSampleResult } from '../../core/api/renders';
import { AppError } from '../../core/errors';
import { VoiceProfile } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { deleteVoiceProfile, getVoiceProfile, listVoiceProfiles, patchRow, tenantById } from '../../db/repos';
import { secretBoxFromConfig } from '../../db/secrets';
import { elevenLabsVoices } from '../../renders/elevenlabs';
import { speechEndpoint } from '../../renders/endpoints';
import { RenderProviderError } from '../../renders/errors';
import { ESPEAK_VOICE } from '../../renders/espeak';
import { speakScript } from '../../renders/speech';
import { synthesize } from '../../voice/tts';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';
import { renderMedia, voiceProfileDto } from '../services/renders';

const notFound = () => new AppError('not_found', 'voice profile not found', { field: 'id' });
/** What a sample says when the request gives no text. */
export const SAMPLE_TEXT = 'Hello! This is how I sound in your videos.';
/** What a phone sample says: the voice as callers hear it. */
export const PHONE_SAMPLE_TEXT = 'Hello, thanks for calling! This is how I sound on the phone.';
/** espeak-ng's voices a picker offers (any espeak voice name is accepted). */
const ESPEAK_VOICES = [
  { voiceId: 'en-us', name: 'English (America)' },
  { voiceId: 'en-gb', name: 'English (Great Britain)' },
  { voiceId: 'en-us+f3', name: 'English (America), female' },
  { voiceId: 'es', name: 'Spanish' },
  { voiceId: 'fr-fr', name: 'French' },
  { voiceId: 'de', name: 'German' },
  { voiceId: 'pt-br', name: 'Portuguese (Brazil)' },
];

/** A provider refusal as the API answers it: a wrong key or quota is the caller's to fix (400), an outage a 503. */
export function providerError(err: unknown): unknown {
  if (!(err instanceof RenderProviderError)) return err;
  return new AppError(err.errorClass === 'transient' ? 'upstream_unavailable' : 'bad_request', err.message, { field: 'provider' });
}

export const voiceRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['videos'];
    const endpointOf = async (tenantId: string) =>
      speechEndpoint(deps.config, (await tenantById(systemEm(deps.orm), tenantId))?.settings ?? {}, (s) => secretBoxFromConfig(deps.config).decrypt(s));
    const checkVoice = (provider: string | undefined, voiceId: string | undefined) => {
      if (provider === 'espeak' && voiceId && !ESPEAK_VOICE.test(voiceId)) throw new AppError('bad_request', 'voiceId: not an espeak-ng voice name (e.g. en-us, de, en-us+f3)', { field: 'voiceId' });
    };

    app.get('/v1/voices', { schema: { tags, summary: 'Voice profiles', response: { 200: voiceProfileList, ...errorResponses } } }, async (request) => ({
      items: (await listVoiceProfiles(request.em)).map(voiceProfileDto),
    }));

    app.get('/v1/voices/provider-voices', { schema: { tags, summary: "The voices to pick from: the ElevenLabs account's, else espeak-ng's", response: { 200: providerVoiceList, ...errorResponses } } }, async (request) => {
      const endpoint = await endpointOf(request.tenantId);
      if (!endpoint) return { provider: 'espeak' as const, items: ESPEAK_VOICES.map((v) => ({ ...v, category: 'offline', previewUrl: null })) };
      const items = await elevenLabsVoices(endpoint).catch((err) => Promise.reject(providerError(err)));
      return { provider: 'elevenlabs' as const, items };
    });

    app.post('/v1/voices', { schema: { tags, summary: 'Add a voice profile', body: voiceProfileBody, response: { 201: voiceProfileSchema, ...errorResponses } } }, async (request, reply) => {
      checkVoice(request.body.provider, request.body.voiceId);
      const row = request.em.create(VoiceProfile, { tenant: request.tenantId, ...request.body, modelId: request.body.modelId ?? null });
      await request.em.flush();
      recordChange(request, { targetType: 'voice', targetId: row.id });
      return reply.status(201).send(voiceProfileDto(row));
    });

    app.get('/v1/voices/:id', { schema: { tags, summary: 'A voice profile', params: uuidParam, response: { 200: voiceProfileSchema, ...errorResponses } } }, async (request) => {
      const row = await getVoiceProfile(request.em, request.params.id);
      if (!row) throw notFound();
      return voiceProfileDto(row);
    });

    app.patch('/v1/voices/:id', { schema: { tags, summary: 'Change a voice profile', params: uuidParam, body: voiceProfilePatch, response: { 200: voiceProfileSchema, ...errorResponses } } }, async (request) => {
      const row = await getVoiceProfile(request.em, request.params.id);
      if (!row) throw notFound();
      checkVoice(request.body.provider ?? row.provider, request.body.voiceId ?? row.voiceId);
      const before = voiceProfileDto(row);
      await patchRow(request.em, row, request.body as Partial<VoiceProfile>);
      recordChange(request, { targetType: 'voice', targetId: row.id, before, after: voiceProfileDto(row) });
      return voiceProfileDto(row);
    });

    app.delete('/v1/voices/:id', { schema: { tags, summary: 'Delete a voice profile (avatars using it fall back to espeak-ng)', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      if (!(await deleteVoiceProfile(request.em, request.params.id))) throw notFound();
      return reply.status(204).send(null);
    });

    app.post(
      '/v1/voices/:id/sample',
      { schema: { tags, summary: 'Speak a sample in this voice (cached by content hash): a signed URL of the MP3', params: uuidParam, body: voiceSampleBody.nullish(), response: { 200: voiceSampleResult, ...errorResponses } } },
      async (request) => {
        const row = await getVoiceProfile(request.em, request.params.id);
        if (!row) throw notFound();
        const endpoint = row.provider === 'elevenlabs' ? await endpointOf(request.tenantId) : null;
        const store = renderMedia(deps.config);
        const voice = { provider: row.provider, voiceId: row.voiceId, modelId: row.modelId ?? null, settings: row.settings };
        if (request.body?.format === 'telephony') {
          // As a call plays it: the speech engines' chain and cache, 8 kHz μ-law WAV.
          const text = request.body.text ?? PHONE_SAMPLE_TEXT;
          const spoken = await synthesize({ store, elevenlabs: endpoint, urlTtlSeconds: deps.config.MEDIA_URL_TTL_SECONDS }, { tenantId: request.tenantId, text, voice, format: 'telephony' });
          if (!spoken.url || spoken.engine === 'twilio-say') throw new AppError('upstream_unavailable', 'no speech engine could speak the sample', { field: 'provider' });
          return { url: spoken.url, cached: spoken.cached, characters: spoken.engine === 'elevenlabs' && !spoken.cached ? text.length : 0, engine: spoken.engine };
        }
        const spoken = await speakScript(store, endpoint, request.tenantId, voice, request.body?.text ?? SAMPLE_TEXT).catch((err) => Promise.reject(providerError(err)));
        return { url: await store.signedUrl(spoken.key, deps.config.MEDIA_URL_TTL_SECONDS), cached: spoken.cached, characters: spoken.characters };
      },
    );
  };
