/** Voice profiles, avatars and video renders: request and answer schemas (`/v1/voices`, `/v1/avatars`, `/v1/videos`). */
import { z } from 'zod';
import { ASPECT_RATIOS, RENDER_ERROR_CLASSES, RENDER_PROVIDERS, RENDER_STAGES, RENDER_STATUSES, renderSettings, VOICE_PROVIDERS, voiceSettings } from '../renders';
import { storable, text } from './common';

const name = () => text().trim().min(1, 'name is required').max(120);
const hexColor = () => z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');

export const voiceProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: z.enum(VOICE_PROVIDERS),
    voiceId: z.string(),
    modelId: z.string().nullable(),
    settings: voiceSettings,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'VoiceProfile' });
export type VoiceProfileDto = z.infer<typeof voiceProfileSchema>;
export const voiceProfileList = z.object({ items: z.array(voiceProfileSchema) });

export const voiceProfileBody = z.object({
  name: name(),
  provider: z.enum(VOICE_PROVIDERS),
  /** ElevenLabs' voice id, or an espeak-ng voice (`en-us`, `de`, `en+f3`). */
  voiceId: text().trim().min(1).max(100).regex(/^[A-Za-z0-9+_-]+$/, 'voiceId: letters, digits, + _ -'),
  modelId: text().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, 'modelId: letters, digits, . _ -').nullish(),
  settings: voiceSettings.default({}),
});
export const voiceProfilePatch = voiceProfileBody.partial().refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to change' });
export const voiceSampleBody = z.object({
  text: text().trim().min(1).max(500).optional(),
  /** `telephony`: the 8 kHz μ-law WAV a phone call plays (voice/tts.ts), to hear the voice as callers will; default the MP3 of renders. */
  format: z.enum(['web', 'telephony']).optional(),
});
export const voiceSampleResult = z.object({ url: z.string(), cached: z.boolean(), characters: z.number(), engine: z.enum(['elevenlabs', 'espeak-ng']).optional() });
export const providerVoiceList = z.object({
  /** `elevenlabs` when the tenant (or the platform) has an ElevenLabs key; else espeak-ng's voices. */
  provider: z.enum(VOICE_PROVIDERS),
  items: z.array(z.object({ voiceId: z.string(), name: z.string(), category: z.string().nullable(), previewUrl: z.string().nullable() })),
});

export const avatarSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    source: z.enum(['image', 'presenter']),
    /** A signed, expiring URL of the presenter image. */
    imageUrl: z.string().nullable(),
    imageWidth: z.number().nullable(),
    imageHeight: z.number().nullable(),
    presenterId: z.string().nullable(),
    voiceProfileId: z.string().nullable(),
    background: z.string(),
    aspectRatio: z.enum(ASPECT_RATIOS),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Avatar' });
export type AvatarDto = z.infer<typeof avatarSchema>;
export const avatarList = z.object({ items: z.array(avatarSchema) });

const avatarFields = {
  name: name(),
  voiceProfileId: z.uuid({ message: 'voiceProfileId must be a UUID' }).nullish(),
  background: hexColor().default('#ffffff'),
  aspectRatio: z.enum(ASPECT_RATIOS).default('16:9'),
};
/** An uploaded presenter image (base64 PNG or JPEG) or a D-ID presenter id: exactly one. */
export const avatarBody = z
  .object({
    ...avatarFields,
    image: z.string().max(16 * 1024 * 1024, 'image is too large').regex(/^[A-Za-z0-9+/=\s]*$/, 'image must be base64').optional(),
    presenterId: text().trim().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, 'presenterId: letters, digits, . _ -').optional(),
  })
  .refine((b) => !!b.image !== !!b.presenterId, { message: 'give either image (base64 PNG/JPEG) or presenterId', path: ['image'] });
export const avatarPatch = z
  .object({ name: avatarFields.name.optional(), voiceProfileId: avatarFields.voiceProfileId, background: hexColor().optional(), aspectRatio: z.enum(ASPECT_RATIOS).optional() })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to change' });

/** Where the words come from: given, a template filled with variables, or written by the model in a brand voice. */
export const scriptSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: text().trim().min(1, 'script.text is required').max(5000) }),
  z.object({
    type: z.literal('template'),
    template: text().trim().min(1).max(5000),
    variables: storable(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))).default({}),
  }),
  z.object({
    type: z.literal('generate'),
    /** What the video should say; the model writes a script of about `seconds` in the brand voice. */
    brief: text().trim().min(1).max(2000),
    brandVoiceId: z.uuid().nullish(),
    seconds: z.number().int().min(5).max(180).default(20),
  }),
]);
export type ScriptSource = z.infer<typeof scriptSource>;

export const renderBody = z.object({
  title: text().trim().max(200).default(''),
  script: scriptSource,
  avatarId: z.uuid({ message: 'avatarId must be a UUID' }),
  /** Defaults to the avatar's voice profile, else espeak-ng. */
  voiceProfileId: z.uuid({ message: 'voiceProfileId must be a UUID' }).nullish(),
  settings: renderSettings.default({ captions: true }),
});

const outputUrls = z.object({ mp4: z.string(), webm: z.string(), poster: z.string(), sprite: z.string(), hls: z.string().nullable() });
export const renderSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(RENDER_STATUSES),
    stage: z.enum(RENDER_STAGES),
    script: z.string(),
    avatarId: z.string().nullable(),
    voiceProfileId: z.string().nullable(),
    provider: z.enum(RENDER_PROVIDERS),
    settings: renderSettings,
    workflowId: z.string(),
    attempt: z.number(),
    durationSec: z.number().nullable(),
    cost: z.object({ didCredits: z.number(), elevenLabsCharacters: z.number() }),
    /** Signed, expiring URLs of the outputs (get only; null in lists and until completed). */
    outputs: outputUrls.nullable(),
    error: z.string().nullable(),
    errorClass: z.enum(RENDER_ERROR_CLASSES).nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'VideoRender' });
export type RenderDto = z.infer<typeof renderSchema>;
/** A create's answer: the render, and whether it came from the cache (no provider call, no cost). */
export const renderCreated = renderSchema.extend({ cached: z.boolean() });
export const renderList = z.object({ items: z.array(renderSchema), nextCursor: z.string().nullable() });
export const renderListQuery = z.object({
  status: z.enum(RENDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: text().max(200).optional(),
});
export const didWebhookParams = z.object({ token: text().max(200) });
