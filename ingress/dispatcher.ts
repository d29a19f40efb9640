/**
 * Dispatch of recorded inbound events (db/repos/channels-inbound.ts) to conversations. Runs in the
 * worker process: a BullMQ `inbound` queue fed by the webhook route, plus a sweeper that
 * re-queues rows left pending (Redis here keeps nothing on disk, and a job may give up while
 * Temporal is away). Every step is idempotent, so a row handled twice still makes one turn: the
 * conversation is remembered on the row, media is stored once per (message, ref), and the
 * workflow ignores an externalId it has already seen.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import type { Channel as ChannelType } from '../core/channels';
import { systemEm, tenantEm } from '../db/orm';
import { applyAmendment, applyDeliveryStatus, applyReadWatermark, beginInboundAttempt, finishInbound, noteContactActivity, noteInboundError, routeConversation, storeMediaAsset, type InboundRow } from '../db/repos';
import { getFlowVersion } from '../db/repos/flows';
import { ConversationClient } from '../temporal/conversation';
import { pinnedFlow } from '../temporal/pinned-flows';
import { channelLoader, type LoadedChannel } from '../channels/directory';
import { WATERMARK_PREFIX } from '../channels/messenger/inbound';
import { tooLargeError } from '../channels/media';
import { ProviderError, type InboundAttachment, type InboundEvent, type MediaLimits } from '../channels/types';

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
}

export class InboundProcessor {
  private readonly channels;

  constructor(private readonly deps: InboundProcessorDeps) {
    this.channels = channelLoader(deps.orm, deps.config);
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
        row.kind === 'status' ? await this.applyStatus(row, channel) : row.kind === 'amend' ? await this.applyAmend(row, channel) : await this.dispatchMessage(row, channel);
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
      await applyReadWatermark(em, channel.row.id, event.externalId.slice(WATERMARK_PREFIX.length), new Date(event.at ?? Date.now()));
      return;
    }
    const matched = await applyDeliveryStatus(em, channel.row.id, event.externalId, event.status, event.error);
    if (matched > 0) return;
    if (row.attempts >= STATUS_ATTEMPTS) throw new Unprocessable(`no message with provider id ${event.externalId}`);
    throw new Error(`no message with provider id ${event.externalId} yet`);
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
      { channelId: channel.row.id, channelType: channel.row.type as ChannelType, threadKey: event.threadKey ?? event.contactAddress, contactAddress: event.contactAddress, contactName: event.contactName },
      async () => {
        const version = await getFlowVersion(em, flowId);
        if (!version) throw new Unprocessable('the channel\'s flow has no published version');
        return { flowId, version: version.version };
      },
    );

    const attachments = await this.storeAttachments(row, channel, conversation.id, event);
    await noteContactActivity(em, conversation.id, new Date(event.message.sentAt ?? Date.now()), event.thread);
    const metadata = { ...(event.metadata ?? {}), ...(attachments.length ? { attachments } : {}) };
    await this.signal(row.tenantId, conversation, channel.row.type as ChannelType, {
      text: event.message.text,
      externalId: event.externalId,
      ...(Object.keys(metadata).length ? { metadata } : {}),
    });
    return conversation.id;
  }

  /** Downloads each file once; a file the provider refuses for good is noted, not fatal to the message. */
  private async storeAttachments(row: InboundRow, channel: LoadedChannel, conversationId: string, event: Extract<InboundEvent, { kind: 'message' }>) {
    const stored: Record<string, unknown>[] = [];
    const em = tenantEm(this.deps.orm, row.tenantId);
    const limits = { maxBytes: this.deps.config.CHANNEL_MEDIA_MAX_BYTES };
    for (const [index, attachment] of (event.message.attachments ?? []).entries()) {
      const a = attachment as InboundAttachment | { kind: 'inline'; data: string; contentType: string; name?: string };
      try {
        const file = a.kind === 'inline' ? inlineFile(a, limits) : await this.fetchRemote(channel, a.ref, limits);
        const name = a.name ?? file.name;
        const ref = a.kind === 'remote' ? a.ref : `inline:${index}`;
        const contentType = a.contentType ?? file.contentType;
        const asset = await storeMediaAsset(em, row.tenantId, { channelId: channel.row.id, conversationId, messageExternalId: event.externalId, ref, contentType, name, data: file.data });
        stored.push({ mediaAssetId: asset.id, contentType, byteSize: asset.byteSize, ...(name ? { name } : {}) });
      } catch (err) {
        if (!(err instanceof ProviderError) || err.retryable) throw err;
        const ref = a.kind === 'remote' ? a.ref : `inline:${index}`;
        stored.push({ error: err.message, ref, ...(a.contentType ? { contentType: a.contentType } : {}), ...(a.name ? { name: a.name } : {}) });
      }
    }
    return stored;
  }

  private async fetchRemote(channel: LoadedChannel, ref: string, limits: MediaLimits) {
    if (!channel.adapter.fetchMedia) throw new ProviderError(`the ${channel.row.type} adapter cannot download attachments`, false);
    return channel.adapter.fetchMedia(channel.config, ref, limits);
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
