/**
 * Talking-avatar renders, the vocabulary: voice providers and their settings, avatar aspect
 * ratios, the stages of a `videoRender` run, provider error classes, the cache key and the cost
 * rules. Pure: the API, the activities, the workflow and the console read it from here.
 */
import { z } from 'zod';

/** `espeak-ng` is the offline voice: no key, no network, robotic but real speech. */
export const VOICE_PROVIDERS = ['elevenlabs', 'espeak'] as const;
export type VoiceProvider = (typeof VOICE_PROVIDERS)[number];

/** ElevenLabs' `voice_settings` (all optional, the voice's own defaults otherwise); espeak reads speed and pitch. */
export const voiceSettings = z
  .object({
    stability: z.number().min(0).max(1).optional(),
    similarityBoost: z.number().min(0).max(1).optional(),
    style: z.number().min(0).max(1).optional(),
    useSpeakerBoost: z.boolean().optional(),
    /** ElevenLabs 0.7–1.2; espeak maps it onto words per minute (175 × speed). */
    speed: z.number().min(0.7).max(1.2).optional(),
    /** espeak only, 0–99. */
    pitch: z.number().int().min(0).max(99).optional(),
  })
  .strict();
export type VoiceSettings = z.infer<typeof voiceSettings>;

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** Output frame size per aspect ratio (even sizes for H.264; 720p class keeps WhatsApp's 16 MB cap easy). */
export const FRAME_SIZE: Record<AspectRatio, { width: number; height: number }> = {
  '16:9': { width: 1280, height: 720 },
  '9:16': { width: 720, height: 1280 },
  '1:1': { width: 720, height: 720 },
};

/** Presenter images D-ID accepts, checked by magic bytes (never the name or the declared type). */
export const AVATAR_IMAGE_TYPES = ['image/jpeg', 'image/png'] as const;
/** A face must be large enough to animate and small enough to upload: D-ID's own bounds are similar. */
export const AVATAR_MIN_SIDE = 256;
export const AVATAR_MAX_SIDE = 4096;

export const RENDER_STAGES = ['queued', 'speech', 'rendering', 'waiting', 'downloading', 'checking', 'outputs', 'storing', 'completed', 'failed', 'canceled'] as const;
export type RenderStage = (typeof RENDER_STAGES)[number];
export const RENDER_STATUSES = ['running', 'completed', 'failed', 'canceled'] as const;
export type RenderStatus = (typeof RENDER_STATUSES)[number];
/** Where the frames come from: D-ID, or the local ffmpeg renderer when the tenant has no D-ID key. */
export const RENDER_PROVIDERS = ['d-id', 'offline'] as const;
export type RenderProvider = (typeof RENDER_PROVIDERS)[number];

/**
 * Provider failures, classified once: only `transient` is retried. `quota` (HTTP 402 at D-ID, a
 * quota at ElevenLabs), `invalid_image` (no face, unreadable), `moderation` (refused content),
 * `auth` (a wrong key) and `quality` (the result failed our checks) need a person.
 */
export const RENDER_ERROR_CLASSES = ['quota', 'invalid_image', 'moderation', 'auth', 'invalid_request', 'quality', 'transient'] as const;
export type RenderErrorClass = (typeof RENDER_ERROR_CLASSES)[number];
/** Temporal failure types: `render_<class>`; all but transient are in NON_RETRYABLE_ERROR_TYPES. */
export const renderErrorType = (c: RenderErrorClass) => `render_${c}`;
export const NON_RETRYABLE_RENDER_ERRORS = RENDER_ERROR_CLASSES.filter((c) => c !== 'transient').map(renderErrorType);

export const renderSettings = z
  .object({
    aspectRatio: z.enum(ASPECT_RATIOS).optional().describe("Defaults to the avatar's"),
    /** Background colour for the offline renderer and D-ID's `config.background` (hex). */
    background: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'background must be a #rrggbb colour').optional(),
    /** Burn the script in as captions (offline renderer); D-ID renders have none. */
    captions: z.boolean().default(true),
  })
  .strict();
export type RenderSettings = z.infer<typeof renderSettings>;

/** What is hashed: anything that changes the pixels or the sound, nothing else (not the name, not who asked). */
export interface RenderKeyParts {
  script: string;
  voice: { provider: VoiceProvider; voiceId: string; modelId: string | null; settings: VoiceSettings };
  avatar: { imageSha256: string | null; presenterId: string | null };
  renderer: RenderProvider;
  settings: { aspectRatio: AspectRatio; background: string; captions: boolean };
}

/** D-ID bills talks by duration: one credit per started 15 seconds of video. */
export const DID_SECONDS_PER_CREDIT = 15;
export const didCredits = (durationSec: number) => Math.max(1, Math.ceil(durationSec / DID_SECONDS_PER_CREDIT));

export interface RenderCost {
  /** D-ID credits for the talk (0 offline or when the talk was already paid). */
  didCredits: number;
  /** Characters sent to ElevenLabs (0 when the speech came from the cache or espeak). */
  elevenLabsCharacters: number;
}
export const NO_COST: RenderCost = { didCredits: 0, elevenLabsCharacters: 0 };

export interface RenderOutputKeys {
  mp4: string;
  webm: string;
  poster: string;
  sprite: string;
  hls: { playlist: string; files: string[] } | null;
}

/** Media store keys (the contract with media/store.ts: everything of a tenant under `t/{tenantId}/`). */
export const mediaKeys = {
  speech: (tenantId: string, hash: string, ext: 'mp3' | 'm4a') => `t/${tenantId}/speech/${hash}.${ext}`,
  avatar: (tenantId: string, avatarId: string, ext: string) => `t/${tenantId}/avatars/${avatarId}.${ext}`,
  render: (tenantId: string, renderId: string, file: string) => `t/${tenantId}/renders/${renderId}/${file}`,
};
