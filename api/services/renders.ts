/** Voice profiles, avatars and renders as the API shows them: signed, expiring URLs for stored media, never the keys. */
import type { AvatarDto, RenderDto, VoiceProfileDto } from '../../core/api/renders';
import type { Config } from '../../core/config';
import type { Avatar, VideoRender, VoiceProfile } from '../../db/entities';
import { mediaStoreFromConfig, type MediaStore } from '../../media/store';

const stores = new WeakMap<Config, MediaStore>();
/** One media store per process (per config). */
export function renderMedia(config: Config): MediaStore {
  let store = stores.get(config);
  if (!store) stores.set(config, (store = mediaStoreFromConfig(config)));
  return store;
}

export const voiceProfileDto = (v: VoiceProfile): VoiceProfileDto => ({
  id: v.id,
  name: v.name,
  provider: v.provider,
  voiceId: v.voiceId,
  modelId: v.modelId ?? null,
  settings: v.settings,
  createdAt: v.createdAt.toISOString(),
  updatedAt: v.updatedAt.toISOString(),
});

export async function avatarDto(config: Config, a: Avatar): Promise<AvatarDto> {
  return {
    id: a.id,
    name: a.name,
    source: a.imageKey ? 'image' : 'presenter',
    imageUrl: a.imageKey ? await renderMedia(config).signedUrl(a.imageKey, config.MEDIA_URL_TTL_SECONDS) : null,
    imageWidth: a.imageWidth ?? null,
    imageHeight: a.imageHeight ?? null,
    presenterId: a.presenterId ?? null,
    voiceProfileId: a.voiceProfile ?? null,
    background: a.background,
    aspectRatio: a.aspectRatio,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** `withUrls`: the outputs as signed URLs (a single render); lists leave them out. */
export async function renderDto(config: Config, r: VideoRender, withUrls: boolean): Promise<RenderDto> {
  const sign = (key: string) => renderMedia(config).signedUrl(key, config.MEDIA_URL_TTL_SECONDS);
  const o = r.outputs;
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    stage: r.stage,
    script: r.script,
    avatarId: r.avatar ?? null,
    voiceProfileId: r.voiceProfile ?? null,
    provider: r.provider,
    settings: r.settings,
    workflowId: r.workflowId,
    attempt: r.attempt,
    durationSec: r.durationSec === null || r.durationSec === undefined ? null : Number(r.durationSec),
    cost: { didCredits: r.cost.didCredits ?? 0, elevenLabsCharacters: r.cost.elevenLabsCharacters ?? 0 },
    outputs: withUrls && o && r.status === 'completed' ? { mp4: await sign(o.mp4), webm: await sign(o.webm), poster: await sign(o.poster), sprite: await sign(o.sprite), hls: o.hls ? await sign(o.hls.playlist) : null } : null,
    error: r.error ?? null,
    errorClass: r.errorClass ?? null,
    createdAt: r.createdAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
  };
}
