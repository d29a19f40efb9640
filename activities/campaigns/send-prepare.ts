/**
 * A chunk of a campaign page made ready to send, with a few statements for the whole chunk: each
 * recipient is checked against its consent now (an opt-out since materialization is honoured) and
 * its quiet hours (deferred to the window's end in its timezone), rendered (tracked links,
 * personalization), given its conversation (found, or opened on the campaign's or the channel's
 * flow) and its message stored under the recipient's idempotency key. Recipients settled without a
 * send (skipped, deferred, failed, or sent by an earlier attempt) are written here; the rest are
 * returned for the provider.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { recipientLinks } from '../../campaigns/links';
import { renderForRecipient } from '../../campaigns/render';
import type { LoadedChannel } from '../../channels/directory';
import type { OutboundSend } from '../../channels/types';
import { insideWindow } from '../../channels/whatsapp';
import { quietUntil, quietWindowFor, usableZone } from '../../core/campaigns/quiet-hours';
import type { Campaign } from '../../db/entities';
import type { DueRecipient } from '../../db/repos/campaign-recipients';
import type { PageTally } from './page-counts';
import { VIDEO_RETRY_MS, withVideo, type PageVideos } from './send-video';
import {
  deferRecipients, finishRecipients, insertConversations, openConversations, skipOptedOut, storeCampaignMessages, threadOf,
  type CampaignConversation, type NewCampaignConversation, type NewCampaignMessage, type RecipientOutcome, type StoredCampaignMessage,
} from '../../db/repos/campaign-sends';

export interface PageContext {
  campaign: Campaign;
  /** The campaign's timezone, for recipients without a usable one. */
  zone: string;
  publicUrl: string;
  linkKey: Buffer;
  channel(id: string): Promise<LoadedChannel | null>;
  /** The flow a new conversation on the channel starts on; rejects naming the flow when there is none. */
  flow(channel: LoadedChannel): Promise<{ flowId: string; version: number }>;
  /** What the page did, for its counts. */
  tally: PageTally;
  /** The variants' videos, looked up once per page. */
  video: PageVideos;
}

export interface ReadySend {
  recipient: DueRecipient;
  channel: LoadedChannel;
  conversation: CampaignConversation;
  stored: StoredCampaignMessage;
  message: OutboundSend;
  lastInboundAt: string | null;
}

type RichContent = Omit<OutboundSend, 'text'>;

interface Rendered {
  r: DueRecipient;
  channel: LoadedChannel;
  variant: string;
  text: string;
  rich: RichContent;
}

/** Settles what needs no send and returns the sends; `settled` is how many recipients it settled. */
export async function prepareChunk(em: EntityManager, ctx: PageContext, chunk: DueRecipient[]): Promise<{ ready: ReadySend[]; settled: number }> {
  const c = ctx.campaign;
  const tenantId = c.tenant;
  const optedOut: string[] = [];
  const deferred: { id: string; until: Date }[] = [];
  const finished: RecipientOutcome[] = [];
  const fail = (r: DueRecipient, error: string, conversationId: string | null = null, messageId: string | null = null) => {
    finished.push({ id: r.id, status: 'failed', conversationId, messageId, error });
    ctx.tally.move(r.status, 'failed');
  };

  const rendered: Rendered[] = [];
  const now = new Date();
  for (const r of chunk) {
    if (r.optedOut) {
      optedOut.push(r.id);
      ctx.tally.move(r.status, 'opted_out');
      continue;
    }
    const until = c.quietHours ? quietUntil(now, usableZone(r.timezone, ctx.zone), quietWindowFor(c.quietHours, r.channel)) : null;
    if (until) {
      deferred.push({ id: r.id, until });
      ctx.tally.move(r.status, 'deferred');
      continue;
    }
    const variant = c.variants.find((v) => v.id === r.variant) ?? c.variants[0];
    const out = variant && renderForRecipient(variant.content, r.channel, r, c.name, recipientLinks(ctx.publicUrl, ctx.linkKey, r.id));
    if (!out) {
      fail(r, `variant ${r.variant ?? '?'} has no ${r.channel} content`);
      continue;
    }
    const channel = await ctx.channel(r.channelId);
    if (!channel) {
      fail(r, 'the channel is gone (deleted?)');
      continue;
    }
    const video = variant!.content.video;
    const ready = video ? await ctx.video(video, r) : null;
    if (ready?.kind === 'wait') {
      // Still rendering: deferred like quiet hours, so the workflow's durable wait comes back for it.
      deferred.push({ id: r.id, until: new Date(now.getTime() + VIDEO_RETRY_MS) });
      ctx.tally.move(r.status, 'deferred');
      continue;
    }
    if (ready?.kind === 'failed') {
      fail(r, `video: ${ready.error}`);
      continue;
    }
    const message = ready ? withVideo(out, r.channel, ready.media) : out;
    rendered.push({ r, channel, variant: variant!.id, text: message.text, rich: message.rich });
  }

  const { conversations, opened } = await chunkConversations(em, ctx, tenantId, rendered, fail);
  const withConversation = rendered.filter((x) => conversations.has(threadOf(x.r.channelId, x.r.address)));
  const messages: (NewCampaignMessage & { x: Rendered; conversation: CampaignConversation; lastInboundAt: string | null; rich: RichContent })[] = withConversation.map((x) => {
    const conversation = conversations.get(threadOf(x.r.channelId, x.r.address))!;
    const lastInboundAt = conversation.lastInboundAt?.toISOString() ?? null;
    // Inside WhatsApp's 24-hour window the session text goes; outside it only the template can.
    const rich = x.r.channel === 'whatsapp' && insideWindow(lastInboundAt) ? { ...x.rich, template: undefined } : x.rich;
    return {
      x, conversation, lastInboundAt, rich,
      conversationId: conversation.id,
      key: x.r.idempotencyKey,
      text: x.text,
      channelId: x.r.channelId,
      metadata: { campaignId: c.id, recipientId: x.r.id, variant: x.variant, ...(Object.keys(rich).length ? { rich } : {}) },
    };
  });
  const stored = await storeCampaignMessages(em, tenantId, messages.map(({ conversationId, key, text, channelId, metadata }) => ({ conversationId, key, text, channelId, metadata })), opened);

  const ready: ReadySend[] = [];
  for (const m of messages) {
    const s = stored.get(m.key)!;
    if (s.externalId) {
      finished.push({ id: m.x.r.id, status: 'sent', conversationId: m.conversation.id, messageId: s.id });
      ctx.tally.move(m.x.r.status, 'sent');
    }
    else if (s.status === 'failed') fail(m.x.r, s.error ?? 'failed', m.conversation.id, s.id);
    else ready.push({ recipient: m.x.r, channel: m.x.channel, conversation: m.conversation, stored: s, message: { text: m.x.text, ...m.rich }, lastInboundAt: m.lastInboundAt });
  }
  await skipOptedOut(em, tenantId, optedOut);
  await deferRecipients(em, tenantId, deferred);
  await finishRecipients(em, tenantId, finished);
  return { ready, settled: optedOut.length + deferred.length + finished.length };
}

/** The chunk's conversations by thread: the open ones, and new ones for the rest (`opened`; a channel without a flow fails its recipients). */
async function chunkConversations(
  em: EntityManager, ctx: PageContext, tenantId: string, rendered: Rendered[], fail: (r: DueRecipient, error: string) => void,
): Promise<{ conversations: Map<string, CampaignConversation>; opened: Set<string> }> {
  const threads = new Map(rendered.map((x) => [threadOf(x.r.channelId, x.r.address), { channelId: x.r.channelId, threadKey: x.r.address }]));
  const found = await openConversations(em, tenantId, [...threads.values()]);
  const missing = new Map<string, NewCampaignConversation>();
  for (const x of rendered) {
    const key = threadOf(x.r.channelId, x.r.address);
    if (found.has(key) || missing.has(key)) continue;
    let flow;
    try {
      flow = await ctx.flow(x.channel);
    } catch (err) {
      if (err instanceof Error && /flow/.test(err.message)) {
        fail(x.r, err.message);
        continue;
      }
      throw err;
    }
    missing.set(key, { channelId: x.r.channelId, channelType: x.r.channel, threadKey: x.r.address, contactId: x.r.contactId, ...flow });
  }
  const opened = new Set<string>();
  if (!missing.size) return { conversations: found, opened };
  for (const [key, conversation] of await insertConversations(em, tenantId, [...missing.values()])) {
    found.set(key, conversation);
    opened.add(conversation.id);
  }
  const raced = [...missing.keys()].filter((key) => !found.has(key));
  if (raced.length) {
    for (const [key, conversation] of await openConversations(em, tenantId, raced.map((key) => threads.get(key)!))) found.set(key, conversation);
    const vanished = raced.find((key) => !found.has(key));
    if (vanished) throw new Error(`conversation for ${threads.get(vanished)!.threadKey} vanished while routing`);
  }
  return { conversations: found, opened };
}
