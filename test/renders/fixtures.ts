/** A tenant's render objects for the security sweeps: a voice profile, an avatar (uploaded image) and a finished render row. */
import { randomUUID } from 'node:crypto';
import { VideoRender } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import type { Stack } from '../support/stack';
import { presenterImage } from './media-fixtures';

export async function renderObjects(stack: Stack, tenant: { apiKey: string; tenantId: string }) {
  const voice = await stack.request('POST', '/v1/voices', { apiKey: tenant.apiKey, body: { name: 'Sweep voice', provider: 'espeak', voiceId: 'en-us' } });
  if (voice.status !== 201) throw new Error(`POST /v1/voices → ${voice.status} ${JSON.stringify(voice.body)}`);
  const avatar = await stack.request('POST', '/v1/avatars', { apiKey: tenant.apiKey, body: { name: 'Sweep avatar', image: (await presenterImage()).toString('base64'), voiceProfileId: voice.body.id } });
  if (avatar.status !== 201) throw new Error(`POST /v1/avatars → ${avatar.status} ${JSON.stringify(avatar.body)}`);
  // A finished render written directly: the sweeps need its id, not a video.
  const { tenantId } = tenant;
  const em = tenantEm(stack.orm, tenantId);
  const id = randomUUID();
  em.create(VideoRender, { id, tenant: tenantId, cacheKey: randomUUID().replace(/-/g, '').padEnd(64, '0'), workflowId: `video:${tenantId}:${id}:1`, status: 'completed', stage: 'completed', script: 'Sweep', avatar: avatar.body.id, provider: 'offline', settings: { captions: true }, cost: { didCredits: 0, elevenLabsCharacters: 0 } } as never);
  await em.flush();
  return { voice: voice.body.id as string, avatar: avatar.body.id as string, video: id };
}
