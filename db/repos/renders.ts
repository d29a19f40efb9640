/** Voice profiles, avatars and video renders. `em` must be tenant-scoped (tenantEm). */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RenderStatus } from '../../core/renders';
import { Avatar, VideoRender, VoiceProfile } from '../entities';

const byName = { orderBy: { name: 'asc', id: 'asc' } } as const;

export const listVoiceProfiles = (em: EntityManager) => em.find(VoiceProfile, {}, byName);
export const getVoiceProfile = (em: EntityManager, id: string) => em.findOne(VoiceProfile, { id });
export const listAvatars = (em: EntityManager) => em.find(Avatar, {}, byName);
export const getAvatar = (em: EntityManager, id: string) => em.findOne(Avatar, { id });
export const getVideoRender = (em: EntityManager, id: string) => em.findOne(VideoRender, { id });
export const findVideoRenderByKey = (em: EntityManager, cacheKey: string) => em.findOne(VideoRender, { cacheKey });

/** Applies the fields that are set (undefined = unchanged). */
export async function patchRow<T extends object>(em: EntityManager, row: T, patch: Partial<T>): Promise<T> {
  em.assign(row, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as never);
  await em.flush();
  return row;
}

export async function deleteVoiceProfile(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeDelete(VoiceProfile, { id })) > 0;
}
export async function deleteAvatar(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeDelete(Avatar, { id })) > 0;
}

/** Newest first, keyset-paged on (created_at, id). */
export async function listVideoRenders(em: EntityManager, opts: { status?: RenderStatus; limit: number; before?: { createdAt: Date; id: string } }) {
  const where: Record<string, unknown> = {};
  if (opts.status) where.status = opts.status;
  if (opts.before) where.$or = [{ createdAt: { $lt: opts.before.createdAt } }, { createdAt: opts.before.createdAt, id: { $lt: opts.before.id } }];
  return em.find(VideoRender, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: opts.limit + 1 });
}

export type RenderClaim = { row: VideoRender; action: 'cached' | 'running' | 'start' };

/**
 * The one row of a cache key: a completed render is the answer (no provider call), a running one
 * is joined, a failed or cancelled one is tried again as its next attempt, a new key gets a row.
 * The unique (tenant, cache key) index makes two identical requests at once find one row.
 */
export async function claimVideoRender(
  em: EntityManager,
  fields: Omit<VideoRender, 'id' | 'attempt' | 'status' | 'stage' | 'createdAt' | 'updatedAt' | 'providerRequestKey' | 'providerJobId' | 'speechKey' | 'durationSec' | 'cost' | 'outputs' | 'error' | 'errorClass' | 'completedAt' | 'workflowId'>,
  workflowIdOf: (renderId: string, attempt: number) => string,
): Promise<RenderClaim> {
  return em.transactional(async (tx) => {
    const existing = await tx.findOne(VideoRender, { cacheKey: fields.cacheKey }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (existing?.status === 'completed') return { row: existing, action: 'cached' };
    if (existing?.status === 'running') return { row: existing, action: 'running' };
    if (existing) {
      const attempt = existing.attempt + 1;
      tx.assign(existing, {
        attempt, workflowId: workflowIdOf(existing.id, attempt), status: 'running', stage: 'queued', error: null, errorClass: null,
        title: fields.title, createdBy: fields.createdBy, provider: fields.provider,
      });
      return { row: existing, action: 'start' };
    }
    const inserted = await tx.getConnection().execute<{ id: string }[]>(
      `insert into video_renders (tenant_id, cache_key, workflow_id, script, title, voice_profile_id, avatar_id, contact_id, settings, provider, created_by)
       values (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?) on conflict (tenant_id, cache_key) do nothing returning id`,
      [fields.tenant, fields.cacheKey, fields.script, fields.title, fields.voiceProfile ?? null, fields.avatar ?? null, fields.contact ?? null, JSON.stringify(fields.settings), fields.provider, fields.createdBy ?? null],
    );
    if (!inserted.length) {
      // Inserted by a concurrent identical request since the read: join it.
      const row = await tx.findOneOrFail(VideoRender, { cacheKey: fields.cacheKey });
      return { row, action: row.status === 'completed' ? 'cached' : 'running' };
    }
    const row = await tx.findOneOrFail(VideoRender, { id: inserted[0].id });
    row.workflowId = workflowIdOf(row.id, 1);
    return { row, action: 'start' };
  });
}
