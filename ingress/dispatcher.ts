/**
 * Dispatch of recorded inbound events (db/repos/channels-inbound.ts) to conversations. Runs in the
 * worker process: a BullMQ `inbound` queue fed by the webhook route, plus a sweeper that
 * re-queues rows left pending (Redis here keeps nothing on disk, and a job may give up while
 * Temporal is away). Every step is idempotent, so a row handled twice still makes one turn: the
 * conversation is remembered on the row, media is stored once per (message, ref), the workflow
 * ignores an externalId it has already seen, and a message's download workflow starts once.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import type { Channel as ChannelType } from '../core/channels';
import { systemEm, tenantEm } from '../db/orm';
import { templateStatusOf } from '../core/campaigns/whatsapp-templates';
import { applyWhatsappTemplateStatus } from '../db/repos/whatsapp-templates';
import { applyAmendment, applyDeliveryStatus, attributeReply, applyReadWatermark, beginInboundAttempt, finishInbound, noteContactActivity, noteInboundError, routeConversation, storeMediaAsset, type InboundRow, type ReceiptMatch } from '../db/repos';
import { toReply } from '../db/repos/messages';
import { Message } from '../db/entities';
import { publishLive } from '../events/live';
import { getFlowVersion } from '../db/repos/flows';
import { ConversationClient } from '../temporal/conversation';
import { pinnedFlow } from '../temporal/pinned-flows';
import { channelLoader, type LoadedChannel } from '../channels/directory';
import { mediaWorkflowId } from '../core/ids';
import type { FetchInboundMediaInput, PendingMedia } from '../core/inbound';
import { WATERMARK_PREFIX } from '../channels/messenger/inbound';
import { tooLargeError } from '../channels/media';
import { ProviderError, type InboundAttachment, type InboundEvent, type MediaLimits } from '../channels/types';
import { busyNotice, QUOTA_HOLD_KEY } from '../core/quotas';
import { conversationLocale } from '../db/repos/quotas';
import { firstInWindow } from '../quotas/buckets';
import { Quotas } from '../quotas/quotas';

/** Receipts (and amendments) may overtake the message they name: retried this many times, then dropped. */
const STATUS_ATTEMPTS = 8;
const SIGNAL_DEADLINE_MS = 5_000;

/** A permanent problem with the row itself: retrying cannot help, it is marked failed. */
class Unprocessable extends Error {}

export interface InboundProcessorDeps {
  orm: MikroORM;
  config: Config;
  /** Swappable: tests point it at a dead address and back. */
  temporal: Client;
  /** Publishes delivery receipts to the live channels (absent: receipts are only stored). */
  redis?: Redis;
}

export class InboundProcessor {
  private readonly channels;
  private readonly quotas: Quotas | null;

  constructor(private readonly deps: InboundProcessorDeps) {
    this.channels = channelLoader(deps.orm, deps.config);
    this.quotas = deps.redis ? new Quotas(deps.redis, deps.orm, deps.config) : null;
  }

  set temporal(client: Client) {
    this.deps.temporal = client;
  }

  /** Handles one row; throws when it should be tried again later (the row stays pending). */
  async process(id: string): Promise<void> {
    const em = systemEm(this.deps.orm);
    const row = await beginInboundAttempt(em, id);
    if (!row) return;
    try {
      const channel = await this.channels.get(row.channelId);
      if (!channel) throw new Unprocessable('the channel no longer exists');
      const conversationId =
        row.kind === 'status'
          ? await this.applyStatus(row, channel)
          : row.kind === 'amend'
            ? await this.applyAmend(row, channel)
            : row.kind === 'template'
              ? await this.applyTemplate(row, channel)
              : await this.dispatchMessage(row, channel);
      await finishInbound(em, id, 'dispatched', { conversationId });
    } catch (err) {
      if (err instanceof Unprocessable || (err instanceof AppError && err.status < 500)) {
        await finishInbound(em, id, 'failed', { error: err.message });
        return;
      }
      await noteInboundError(em, id, (err as Error).message).catch(() => undefined);
      throw err;
    }
  }

  private async applyStatus(row: InboundRow, channel: LoadedChannel): Promise<undefined> {
    const event = row.payload as Extract<InboundEvent, { kind: 'status' }>;
    const em = tenantEm(this.deps.orm, row.tenantId);
    if (event.externalId.startsWith(WATERMARK_PREFIX)) {
      await this.publishReceipts(row.tenantId, await applyReadWatermark(em, channel.row.id, event.externalId.slice(WATERMARK_PREFIX.length), new Date(event.at ?? Date.now())));
      return;
    }
    const matched = await applyDeliveryStatus(em, channel.row.id, event.externalId, event.status, event.error);
    await this.publishReceipts(row.tenantId, matched);
    if (matched.length > 0) return;
    if (row.attempts >= STATUS_ATTEMPTS) throw new Unprocessable(`no message with provider id ${event.externalId}`);
    throw new Error(`no message with provider id ${event.externalId} yet`);
  }

  /**
   * The replies a receipt changed go out again on the live channels, so an open inbox (which
   * reloads the stored row) and the widget redraw their ✓/✓✓/failed marks. Cosmetic: a lost frame
   * is made good by the next transcript load, so it never fails the receipt.
   */
  private async publishReceipts(tenantId: string, matched: ReceiptMatch[]): Promise<void> {
    const { redis } = this.deps;
    if (!redis || !matched.length) return;
    try {
      const messages = await tenantEm(this.deps.orm, tenantId).find(Message, { id: { $in: matched.map((m) => m.id) } });
      for (const m of messages) await publishLive(redis, tenantId, m.conversation, { type: 'message', message: toReply(m) });
    } catch {
      // see above
    }
  }

  /**
   * Meta's review of a template. Like a receipt it may overtake the row it changes (the submit
   * still storing Meta's answer), so it is retried a few times; a template this channel does not
   * track (made in Meta's manager) then waits for a refresh.
   */
  private async applyTemplate(row: InboundRow, channel: LoadedChannel): Promise<undefined> {
    const event = row.payload as Extract<InboundEvent, { kind: 'template' }>;
    const status = templateStatusOf(event.event);
    if (!status) return;
    if (await applyWhatsappTemplateStatus(tenantEm(this.deps.orm, row.tenantId), channel.row.id, { providerTemplateId: event.externalId, status, reason: event.reason })) return;
    if (row.attempts >= STATUS_ATTEMPTS) throw new Unprocessable(`no template with provider id ${event.externalId} on this channel (a refresh adds templates made elsewhere)`);
    throw new Error(`no template with provider id ${event.externalId} yet`);
  }

  /** A reaction, edit or deletion: like a receipt, it may overtake the message it changes, so it is retried a few times. */
  private async applyAmend(row: InboundRow, channel: LoadedChannel): Promise<undefined> {
    const event = row.payload as Extract<InboundEvent, { kind: 'amend' }>;
    const matched = await applyAmendment(tenantEm(this.deps.orm, row.tenantId), row.tenantId, channel.row.id, event);
    if (matched > 0) return;
    if (row.attempts >= STATUS_ATTEMPTS) throw new Unprocessable(`no message with provider id ${event.targetExternalId}`);
    throw new Error(`no message with provider id ${event.targetExternalId} yet`);
  }

  /** Returns the conversation the message went to. */
  private async dispatchMessage(row: InboundRow, channel: LoadedChannel): Promise<string> {
    const event = row.payload as Extract<InboundEvent, { kind: 'message' }>;
    const em = tenantEm(this.deps.orm, row.tenantId);
    const flowId = channel.row.flow;
    if (!flowId) throw new Unprocessable('the channel has no flow: set flowId on the channel');
    const conversation = await routeConversation(
      em,
      row.tenantId,
      { channelId: channel.row.id, channelType: channel.row.type as ChannelType, threadKey: event.threadKey ?? event.contactAddress, repliesTo: event.repliesTo, contactAddress: event.contactAddress, contactName: event.contactName },
      async () => {
        const version = await getFlowVersion(em, flowId);
        if (!version) throw new Unprocessable('the channel\'s flow has no published version');
        return { flowId, version: version.version };
      },
    );

    const { attachments, pending } = await this.storeAttachments(row, conversation.id, channel.row.id, event);
    await noteContactActivity(em, conversation.id, new Date(event.message.sentAt ?? Date.now()), event.thread);
    // A reply to a campaign message: attributed to the campaign (its results count it, the message says so).
    // Timed by its arrival: a Date header or provider timestamp has whole seconds and the sender's clock,
    // so a quick reply could otherwise look older than the campaign message it answers.
    const campaignId = await attributeReply(em, conversation.id, new Date(Math.max(Date.parse(event.message.sentAt ?? '') || 0, Date.now())));
    const held = await this.quotaHold(row.tenantId, conversation.id);
    const metadata = { ...(event.metadata ?? {}), ...(attachments.length ? { attachments } : {}), ...(campaignId ? { campaignId } : {}), ...(held ? { [QUOTA_HOLD_KEY]: held } : {}) };
    await this.signal(row.tenantId, conversation, channel.row.type as ChannelType, {
      text: event.message.text,
      externalId: event.externalId,
      ...(Object.keys(metadata).length ? { metadata } : {}),
    });
    if (pending.length) await this.startDownloads(row.tenantId, channel.row.id, conversation.id, event.externalId, pending);
    return conversation.id;
  }

  /**
   * The tenant's messages-per-minute bucket (shared with the API). A message over it is not dropped
   * or delayed: it is stored like any other, the conversation makes no turn for it, and the contact
   * gets one notice per conversation and window (the time the bucket needs to give a token back).
   */
  private async quotaHold(tenantId: string, conversationId: string): Promise<{ quota: string; notice: string | null } | null> {
    const refusal = await this.quotas?.takeMessage(tenantId);
    if (!refusal) return null;
    const first = await firstInWindow(this.deps.redis!, `quota:notice:${tenantId}:${conversationId}`, Math.max(60, refusal.retryAfterSeconds));
    const notice = first ? busyNotice(await conversationLocale(tenantEm(this.deps.orm, tenantId), conversationId).catch(() => null)) : null;
    return { quota: refusal.quota, notice };
  }

  /**
   * Files carried in the message (email) are stored now; files at the provider are `pending` on the
   * message and downloaded afterwards (startDownloads), so a media outage never holds up the turn.
   */
  private async storeAttachments(row: InboundRow, conversationId: string, channelId: string, event: Extract<InboundEvent, { kind: 'message' }>) {
    const attachments: Record<string, unknown>[] = [];
    const pending: PendingMedia[] = [];
    const em = tenantEm(this.deps.orm, row.tenantId);
    const limits = { maxBytes: this.deps.config.CHANNEL_MEDIA_MAX_BYTES };
    for (const [index, attachment] of (event.message.attachments ?? []).entries()) {
      const a = attachment as InboundAttachment | { kind: 'inline'; data: string; contentType: string; name?: string };
      const described = { ...(a.name ? { name: a.name } : {}), ...(a.contentType ? { contentType: a.contentType } : {}) };
      if (a.kind === 'remote') {
        pending.push({ index, ref: a.ref, ...described });
        attachments.push({ status: 'pending', ref: a.ref, ...described });
        continue;
      }
      const ref = `inline:${index}`;
      try {
        const file = inlineFile(a, limits);
        const asset = await storeMediaAsset(em, row.tenantId, { channelId, conversationId, messageExternalId: event.externalId, ref, contentType: a.contentType, name: a.name, data: file.data });
        attachments.push({ status: 'stored', mediaAssetId: asset.id, contentType: a.contentType, byteSize: asset.byteSize, ...(a.name ? { name: a.name } : {}) });
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        attachments.push({ status: 'failed', error: err.message, ref, ...described });
      }
    }
    return { attachments, pending };
  }

  /** One download workflow per message (its id is the message's): a re-dispatched row finds it started. */
  private async startDownloads(tenantId: string, channelId: string, conversationId: string, messageExternalId: string, files: PendingMedia[]) {
    const { temporal, config } = this.deps;
    const input: FetchInboundMediaInput = {
      tenantId, channelId, conversationId, messageExternalId, files,
      maxAttempts: config.CHANNEL_MEDIA_DOWNLOAD_ATTEMPTS,
      retrySeconds: config.CHANNEL_MEDIA_RETRY_SECONDS,
    };
    try {
      await temporal.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
        temporal.workflow.start('fetchInboundMedia', {
          workflowId: mediaWorkflowId(tenantId, channelId, messageExternalId),
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  private async signal(tenantId: string, conversation: { id: string; flowId: string; flowVersion: number }, channel: ChannelType, message: { text: string; externalId: string; metadata?: Record<string, unknown> }) {
    const { orm, temporal, config } = this.deps;
    const flow = await pinnedFlow(tenantId, conversation.flowId, conversation.flowVersion, async () => {
      const found = await getFlowVersion(tenantEm(orm, tenantId), conversation.flowId, conversation.flowVersion);
      if (!found) throw new Unprocessable(`flow version ${conversation.flowVersion} not found`);
      return found;
    });
    const conversations = new ConversationClient(temporal, config.TEMPORAL_TASK_QUEUE);
    await temporal.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () => conversations.inbound(tenantId, conversation.id, flow, channel, message));
  }
}

/** An attachment that came in the message itself (email): the same size limit as a download. */
function inlineFile(a: { data: Buffer | string; contentType: string; name?: string }, limits: MediaLimits) {
  const data = Buffer.isBuffer(a.data) ? a.data : Buffer.from(a.data, 'base64');
  if (data.length > limits.maxBytes) throw tooLargeError(data.length, limits.maxBytes);
  return { data, contentType: a.contentType, name: a.name };
}
