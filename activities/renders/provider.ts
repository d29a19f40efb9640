/**
 * The provider half of a render: the speech, then the D-ID job created once and asked for its
 * status. The job is created under an idempotency key stored on the row first and sent as the
 * job's `user_data`: a retry, or a new worker after a crash between D-ID's answer and our write,
 * finds the job by that key in D-ID's list instead of paying for a second one.
 */
import { randomUUID } from 'node:crypto';
import { publicUrl } from '../../core/config';
import { createDidJob, findDidJob, getDidJob, jobFailure, type DidJobKind } from '../../renders/d-id';
import { RenderProviderError } from '../../renders/errors';
import { DEFAULT_VOICE, speakScript } from '../../renders/speech';
import { didWebhookToken } from '../../renders/webhook-token';
import type { SwitchboardActivities } from '../types';
import { classified, missing, type RenderContext } from './context';

/** How long a media URL handed to D-ID stays valid: it fetches the image and audio when it starts rendering. */
const PROVIDER_URL_TTL_SECONDS = 6 * 3600;

/** A stock D-ID presenter renders as a clip, an uploaded image as a talk. */
const jobKind = (presenterId: string | null): DidJobKind => (presenterId ? 'clips' : 'talks');

type Acts = Pick<SwitchboardActivities, 'speakRenderScript' | 'startProviderRender' | 'checkProviderRender'>;

export function providerActivities(ctx: RenderContext): Acts {
  return {
    async speakRenderScript(ref) {
      return classified(async () => {
        const { em, row, voice } = await ctx.load(ref);
        if (row.voiceProfile && !voice) throw missing('voice profile');
        row.stage = 'speech';
        await em.flush();
        const { speech } = await ctx.endpoints(ref.tenantId);
        const spoken = await speakScript(ctx.store(), speech, ref.tenantId, voice ? { provider: voice.provider, voiceId: voice.voiceId, modelId: voice.modelId ?? null, settings: voice.settings } : DEFAULT_VOICE, row.script);
        // Characters are counted once per render, however often this activity runs.
        if (row.speechKey !== spoken.key) row.cost = { ...row.cost, didCredits: row.cost.didCredits ?? 0, elevenLabsCharacters: (row.cost.elevenLabsCharacters ?? 0) + spoken.characters };
        row.speechKey = spoken.key;
        await em.flush();
        return { speechKey: spoken.key, characters: spoken.characters, cached: spoken.cached };
      });
    },

    async startProviderRender(ref) {
      return classified(async () => {
        const { em, row, avatar } = await ctx.load(ref);
        if (!avatar) throw missing('avatar');
        const { did } = await ctx.endpoints(ref.tenantId);
        if (!did) throw new RenderProviderError('auth', 'this render was asked of D-ID, but no D-ID key is set any more');
        const kind = jobKind(avatar.presenterId ?? null);
        if (row.providerJobId) return { jobId: row.providerJobId, created: false };
        // The key is stored before D-ID hears of the job: whatever happens next, it can be found by it.
        if (!row.providerRequestKey) {
          row.providerRequestKey = `sb-${row.id}-${row.attempt}-${randomUUID().slice(0, 8)}`;
          row.stage = 'rendering';
          await em.flush();
        }
        const found = await findDidJob(did, kind, row.providerRequestKey);
        if (found) {
          row.providerJobId = found.id;
          await em.flush();
          return { jobId: found.id, created: false };
        }
        const store = ctx.store();
        const audioUrl = await store.signedUrl(row.speechKey!, PROVIDER_URL_TTL_SECONDS);
        const secret = ctx.deps.config.SWITCHBOARD_SECRET_KEY;
        const webhook = secret ? `${publicUrl(ctx.deps.config).replace(/\/+$/, '')}/v1/webhooks/d-id/${didWebhookToken(secret, row.id, row.attempt)}` : undefined;
        const job = await createDidJob(did, {
          kind,
          ...(kind === 'talks' ? { sourceUrl: await store.signedUrl(avatar.imageKey!, PROVIDER_URL_TTL_SECONDS) } : { presenterId: avatar.presenterId!, background: row.settings.background ?? avatar.background }),
          script: { type: 'audio', audio_url: audioUrl },
          userData: row.providerRequestKey,
          webhook,
        });
        row.providerJobId = job.id;
        row.stage = 'waiting';
        await em.flush();
        return { jobId: job.id, created: true };
      });
    },

    async checkProviderRender(ref) {
      return classified(async () => {
        const { row, avatar } = await ctx.load(ref);
        const { did } = await ctx.endpoints(ref.tenantId);
        if (!did || !row.providerJobId) throw new RenderProviderError('invalid_request', 'the render has no D-ID job to wait for');
        const job = await getDidJob(did, jobKind(avatar?.presenterId ?? null), row.providerJobId);
        if (job.status === 'error' || job.status === 'rejected') throw jobFailure(job);
        if (job.status === 'done' && !job.result_url) throw new RenderProviderError('transient', 'D-ID said done but gave no result URL');
        return { resultUrl: job.status === 'done' ? job.result_url! : null, status: job.status };
      });
    },
  };
}
