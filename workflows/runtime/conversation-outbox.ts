/**
 * How a conversation's messages (the flow's replies, an agent's, system notices) are stored and
 * reach the contact. One local activity per message, followed on a provider's channel by its send;
 * on channels the platform delivers itself (web chat, API) under BATCHED_REPLIES_PATCH, the
 * messages said since the last flush are stored together in one local activity, flushed before
 * any other activity the walk calls (ActivityCaller.flushBefore), before a timer and when the turn
 * is answered.
 */
import { log } from '@temporalio/workflow';
import { isExternalChannel } from '../../core/channels';
import type { OutboundMessage, Reply } from '../../core/messages';
import type { ConversationRef } from '../../activities/types';
import type { ActivityCaller } from '../flow/activities';

export class ConversationOutbox {
  /** The replies of the turn being answered, as stored (null between turns). */
  turnReplies: Reply[] | null = null;
  /** Said but not stored yet (batching only). */
  private pending: OutboundMessage[] = [];

  constructor(
    private readonly activities: ActivityCaller,
    private readonly ref: ConversationRef,
    readonly batches: boolean,
    /** The message joins the context window once it is stored (or queued to be). */
    private readonly remember: (text: string) => void,
  ) {
    if (batches) activities.flushBefore(() => this.flush());
  }

  async deliver(message: OutboundMessage): Promise<void> {
    if (this.batches) {
      this.pending.push(message);
      this.remember(message.text);
      return;
    }
    const reply = await this.activities.call(message.nodeId ?? '@agent', 'deliverMessage', { ...this.ref, message });
    this.turnReplies?.push(reply);
    this.remember(message.text);
    if (isExternalChannel(this.ref.channel)) await this.sendOnChannel(message);
  }

  /** Stores the messages said since the last flush, in order, in one local activity. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const messages = this.pending;
    this.pending = [];
    const replies = await this.activities.call(messages[0].nodeId ?? '@agent', 'deliverMessages', { ...this.ref, messages });
    this.turnReplies?.push(...replies);
  }

  /** The stored reply goes out through the provider; a refusal is on the message row, never a failed turn. */
  private async sendOnChannel(message: OutboundMessage): Promise<void> {
    try {
      const sent = await this.activities.call(message.nodeId ?? '@agent', 'sendChannelMessage', { ...this.ref, key: message.key });
      if (sent.status === 'failed') log.warn('channel send refused', { key: message.key, error: sent.error });
    } catch (err) {
      log.error('channel send failed after retries', { key: message.key, error: String(err) });
    }
  }
}
