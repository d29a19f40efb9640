/**
 * What the render activities share: the media store (one per worker), the tenant's provider
 * endpoints (keys decrypted when used), the render row with its voice and avatar, and the one
 * translation of a classified provider error into a Temporal failure.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { renderErrorType } from '../../core/renders';
import type { Avatar, VideoRender, VoiceProfile } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { getAvatar, getVideoRender, getVoiceProfile } from '../../db/repos/renders';
import { secretBoxFromConfig } from '../../db/secrets';
import { mediaStoreFromConfig, type MediaStore } from '../../media/store';
import { didEndpoint, speechEndpoint, type ProviderEndpoint, type SpeechEndpoint } from '../../renders/endpoints';
import { RenderProviderError } from '../../renders/errors';
import type { ActivityDeps } from '../deps';
import { loadTenant } from '../tenant';
import type { RenderRef } from './types';

export interface RenderContext {
  deps: ActivityDeps;
  store: () => MediaStore;
  endpoints(tenantId: string): Promise<{ speech: SpeechEndpoint | null; did: ProviderEndpoint | null }>;
  load(ref: RenderRef): Promise<{ em: EntityManager; row: VideoRender; voice: VoiceProfile | null; avatar: Avatar | null }>;
}

export function renderContext(deps: ActivityDeps): RenderContext {
  let store: MediaStore | undefined;
  return {
    deps,
    store: () => (store ??= mediaStoreFromConfig(deps.config)),
    async endpoints(tenantId) {
      const tenant = await loadTenant(deps.orm, tenantId);
      const decrypt = (s: string) => secretBoxFromConfig(deps.config).decrypt(s);
      return { speech: speechEndpoint(deps.config, tenant.settings, decrypt), did: didEndpoint(deps.config, tenant.settings, decrypt) };
    },
    async load(ref) {
      const em = tenantEm(deps.orm, ref.tenantId);
      const row = await getVideoRender(em, ref.renderId);
      if (!row) throw ApplicationFailure.nonRetryable(`render ${ref.renderId} not found`, 'not_found');
      const voice = row.voiceProfile ? await getVoiceProfile(em, row.voiceProfile) : null;
      const avatar = row.avatar ? await getAvatar(em, row.avatar) : null;
      return { em, row, voice, avatar };
    },
  };
}

/** A classified provider error as Temporal sees it: type `render_<class>`, retried only when transient. */
export async function classified<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof RenderProviderError)) throw err;
    throw ApplicationFailure.create({
      message: err.message,
      type: renderErrorType(err.errorClass),
      nonRetryable: err.errorClass !== 'transient',
      ...(err.retryAfterSec !== undefined ? { nextRetryDelay: `${err.retryAfterSec}s` } : {}),
    });
  }
}

/** A render whose voice or avatar was deleted since it was asked for cannot go on. */
export const missing = (what: string) => new RenderProviderError('invalid_request', `the render's ${what} was deleted`);
