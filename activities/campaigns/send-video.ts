/**
 * A campaign variant's video, made ready for a recipient at send time. A stored render is looked up;
 * a script is claimed through the renders' cache (`renders/store.ts`, as the API and the sendVideo
 * node do), so a script without `{{variables}}` is one render for the whole campaign and a
 * personalized one is one render per distinct text. A render not finished yet defers the recipient
 * (the same `deferred` + `send_after` path as quiet hours): the workflow's existing durable wait
 * picks them up again, so sending waits for the video without a new workflow command.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CampaignVideo } from '../../core/campaigns';
import { escapeHtml } from '../../core/campaigns/email-html';
import { personalizationVariables, personalize, type PersonalizationContact } from '../../core/campaigns/personalize';
import { AppError } from '../../core/errors';
import type { RichContent } from '../../core/messages';
import type { VideoRender } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { getVideoRender } from '../../db/repos/renders';
import { mediaStoreFromConfig, type MediaStore } from '../../media/store';
import { prepareRender } from '../../renders/store';
import type { ActivityDeps } from '../deps';

/** A recipient whose video is still rendering is looked at again after this long. */
export const VIDEO_RETRY_MS = 10_000;
/** New renders a page may start (personalized scripts): the provider's rate, and a page's bound. */
export const VIDEO_STARTS_PER_PAGE = 8;
/** Attempts at one script before its recipients fail instead of waiting on yet another try. */
const MAX_ATTEMPTS = 3;

export type VideoReady =
  | { kind: 'ready'; media: NonNullable<RichContent['media']> }
  | { kind: 'wait' }
  | { kind: 'failed'; error: string };

/** One page's video lookups: the same render is asked for once per page, whatever the recipients. */
export function pageVideos(deps: ActivityDeps, tenantId: string, campaignName: string) {
  const em = tenantEm(deps.orm, tenantId);
  let store: MediaStore | undefined;
  const known = new Map<string, Promise<VideoReady>>();
  let started = 0;

  async function asMedia(row: VideoRender): Promise<VideoReady> {
    if (row.status === 'running') return { kind: 'wait' };
    if (row.status !== 'completed' || !row.outputs) return { kind: 'failed', error: `the video is ${row.status}${row.error ? `: ${row.error}` : ''}` };
    store ??= mediaStoreFromConfig(deps.config);
    const ttl = deps.config.MEDIA_URL_TTL_SECONDS;
    const { mp4, poster } = row.outputs;
    return {
      kind: 'ready',
      media: { url: await store.signedUrl(mp4, ttl), contentType: 'video/mp4', key: mp4, posterUrl: await store.signedUrl(poster, ttl), posterKey: poster },
    };
  }

  async function stored(renderId: string): Promise<VideoReady> {
    const row = await getVideoRender(em, renderId);
    return row ? asMedia(row) : { kind: 'failed', error: `the video ${renderId} does not exist (any more)` };
  }

  async function scripted(video: CampaignVideo, script: string, contactId: string | null): Promise<VideoReady> {
    // An avatar or voice deleted since the edit fails the recipients that need it, not the page.
    const prepared = await prepareRender(deps, tenantId, {
      title: `Campaign ${campaignName}`.slice(0, 200),
      script: { type: 'text', text: script },
      avatarId: video.avatarId!,
      voiceProfileId: video.voiceProfileId ?? null,
      settings: { captions: true },
      contactId,
      createdBy: 'campaign',
    }).catch((err: unknown) => {
      if (err instanceof AppError) return err;
      throw err;
    });
    if (prepared instanceof AppError) return { kind: 'failed', error: prepared.message };
    if (prepared.action === 'cached') return asMedia(prepared.row);
    if (prepared.action === 'start') {
      started += 1;
      // Like the sendVideo node's child: one run per attempt, a run another page started already is joined.
      const ctx = Context.current();
      await ctx.client.workflow
        .start('videoRender', { workflowId: prepared.row.workflowId, taskQueue: ctx.info.taskQueue, args: [prepared.input], workflowIdReusePolicy: 'REJECT_DUPLICATE' })
        .catch((err) => {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        });
      if (prepared.row.attempt > MAX_ATTEMPTS) return { kind: 'failed', error: `the video failed to render ${MAX_ATTEMPTS} times (render ${prepared.row.id})` };
    }
    return { kind: 'wait' };
  }

  /** The variant's video for this recipient; a personalized script past the page's start budget waits for a later page. */
  return function videoFor(video: CampaignVideo, contact: PersonalizationContact & { contactId: string }): Promise<VideoReady> {
    if (video.renderId) return memo(`r:${video.renderId}`, () => stored(video.renderId!));
    const script = personalize(video.script!, { contact, campaign: { name: campaignName } }).trim();
    // `{{campaign.name}}` is the same for everyone: only contact variables make a render per recipient.
    const personalized = personalizationVariables(video.script!).some((path) => path.startsWith('contact.'));
    const key = `s:${video.avatarId}:${video.voiceProfileId ?? ''}:${script}`;
    if (personalized && !known.has(key) && started >= VIDEO_STARTS_PER_PAGE) return Promise.resolve({ kind: 'wait' });
    // A personalized render is the contact's data: it goes when the contact is erased.
    return memo(key, () => scripted(video, script, personalized ? contact.contactId : null));
  };

  function memo(key: string, work: () => Promise<VideoReady>): Promise<VideoReady> {
    let found = known.get(key);
    if (!found) {
      found = work();
      known.set(key, found);
    }
    return found;
  }
}

export type PageVideos = ReturnType<typeof pageVideos>;

/**
 * The rendered message with its video: WhatsApp and SMS/MMS carry it as `rich.media` (the adapters
 * send a video message with the text as caption, or MMS / a link where MMS does not reach);
 * Messenger's attachment would drop the text, so it gets the link; email gets the poster linked to
 * the video in the HTML and the link in the text part.
 */
export function withVideo<T extends { text: string; rich: RichContent }>(out: T, channel: string, media: NonNullable<RichContent['media']>): T {
  if (channel === 'whatsapp' || channel === 'sms') return { ...out, rich: { ...out.rich, media } };
  if (channel === 'messenger') return { ...out, text: `${out.text}\n\n▶ ${media.url}` };
  const email = out.rich.email;
  if (!email) return out;
  const block = `<p><a href="${escapeHtml(media.url)}">${media.posterUrl ? `<img src="${escapeHtml(media.posterUrl)}" alt="Watch the video" width="320" style="max-width:100%;border-radius:8px">` : 'Watch the video'}</a></p>`;
  const html = /<\/body>/i.test(email.html) ? email.html.replace(/<\/body>/i, `${block}</body>`) : email.html + block;
  return { ...out, text: `${out.text}\n\nWatch the video: ${media.url}`, rich: { ...out.rich, email: { ...email, html } } };
}
