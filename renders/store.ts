/**
 * The renders module's one database file: a render request becomes its row. The script is
 * resolved first (text, a template filled with variables, or written by the model in a brand
 * voice), then everything that changes the pixels or the sound is hashed into the cache key
 * (script, voice, avatar image or presenter, renderer, frame settings), and the row of that key is
 * claimed: a completed one is the answer at once, a running one is joined, a failed one is tried
 * again. Starting the workflow is the caller's (the API, or a flow's node through its workflow).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ScriptSource } from '../core/api/renders';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import { videoRenderWorkflowId } from '../core/ids';
import { renderCacheKey } from '../core/render-keys';
import type { RenderProvider, RenderSettings } from '../core/renders';
import { parseTemplate, renderTemplate } from '../core/template';
import type { VideoRender } from '../db/entities';
import { tenantEm } from '../db/orm';
import { claimVideoRender, findVideoRenderByKey, getAvatar, getVoiceProfile, type RenderClaim } from '../db/repos/renders';
import { cachedTenant } from '../db/repos/tenants';
import { secretBoxFromConfig } from '../db/secrets';
import { didEndpoint } from './endpoints';
import { writeVideoScript } from './script-writer';
import { DEFAULT_VOICE } from './speech';

export interface RenderRequest {
  title: string;
  script: ScriptSource;
  avatarId: string;
  voiceProfileId?: string | null;
  settings: RenderSettings;
  /** A personalized render belongs to its contact (erased with it). */
  contactId?: string | null;
  createdBy?: string | null;
}

export interface PreparedRender extends RenderClaim {
  /** The workflow input for a claim that must start. */
  input: { tenantId: string; renderId: string; attempt: number; provider: RenderProvider; pollSeconds: number; timeoutMinutes: number };
}

type Deps = { orm: MikroORM; config: Config };

export async function resolveScript(deps: Deps, tenantId: string, source: ScriptSource): Promise<string> {
  if (source.type === 'text') return source.text;
  if (source.type === 'template') {
    const problem = parseTemplate(source.template);
    if (problem) throw new AppError('bad_request', `script.template: ${problem}`, { field: 'script.template' });
    const text = renderTemplate(source.template, source.variables).trim();
    if (!text) throw new AppError('bad_request', 'the filled template is empty', { field: 'script.template' });
    return text;
  }
  return (await writeVideoScript(deps, tenantId, source)).script;
}

export async function prepareRender(deps: Deps, tenantId: string, request: RenderRequest): Promise<PreparedRender> {
  const em = tenantEm(deps.orm, tenantId);
  const avatar = await getAvatar(em, request.avatarId);
  if (!avatar) throw new AppError('not_found', 'avatar not found', { field: 'avatarId' });
  const voiceProfileId = request.voiceProfileId ?? avatar.voiceProfile ?? null;
  const voiceRow = voiceProfileId ? await getVoiceProfile(em, voiceProfileId) : null;
  if (voiceProfileId && !voiceRow) throw new AppError('not_found', 'voice profile not found', { field: 'voiceProfileId' });
  const script = await resolveScript(deps, tenantId, request.script);
  const tenant = await cachedTenant(deps.orm, tenantId);
  const did = didEndpoint(deps.config, tenant?.settings ?? {}, (s) => secretBoxFromConfig(deps.config).decrypt(s));
  const provider: RenderProvider = did ? 'd-id' : 'offline';
  const settings = {
    aspectRatio: request.settings.aspectRatio ?? avatar.aspectRatio,
    background: request.settings.background ?? avatar.background,
    captions: request.settings.captions ?? true,
  };
  const voice = voiceRow ? { provider: voiceRow.provider, voiceId: voiceRow.voiceId, modelId: voiceRow.modelId ?? null, settings: voiceRow.settings } : DEFAULT_VOICE;
  const cacheKey = renderCacheKey({ script, voice, avatar: { imageSha256: avatar.imageSha256 ?? null, presenterId: avatar.presenterId ?? null }, renderer: provider, settings });
  // A hit is a plain indexed read: no transaction, no lock (the claim below is for everything else).
  const hit = await findVideoRenderByKey(em, cacheKey);
  if (hit?.status === 'completed') return { row: hit, action: 'cached', input: workflowInput(deps.config, tenantId, hit) };
  const claim = await claimVideoRender(
    em,
    {
      tenant: tenantId,
      cacheKey,
      title: request.title,
      script,
      voiceProfile: voiceRow?.id ?? null,
      avatar: avatar.id,
      contact: request.contactId ?? null,
      settings,
      provider,
      createdBy: request.createdBy ?? null,
    } as Parameters<typeof claimVideoRender>[1],
    (renderId, attempt) => videoRenderWorkflowId(tenantId, renderId, attempt),
  );
  return { ...claim, input: workflowInput(deps.config, tenantId, claim.row) };
}

export const workflowInput = (config: Config, tenantId: string, row: VideoRender): PreparedRender['input'] => ({
  tenantId,
  renderId: row.id,
  attempt: row.attempt,
  provider: row.provider,
  pollSeconds: config.DID_POLL_SECONDS,
  timeoutMinutes: config.DID_RENDER_TIMEOUT_MINUTES,
});
