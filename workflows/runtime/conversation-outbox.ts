/**
 * How a conversation's messages (the flow's replies, an agent's, system notices) are stored and
 * reach the contact. One local activity per message, followed on a provider's channel by its send;
 * on channels the platform delivers itself (web chat, API) under BATCHED_REPLIES_PATCH, the
 * messages said since the last flush are stored together in one local activity, flushed before
 * any other activity the walk calls (ActivityCaller.flushBefore), before a timer and when the turn
 * is answered. Under INBOUND_WITH_REPLIES_PATCH the contact's message waits for that flush too
 * (`deferInbound`): a turn whose walk only talks is stored in one local activity (`recordTurn`).
 */
import { isCancellation, log } from '@temporalio/workflow';
import { isExternalChannel } from '../../core/channels';
import type { OutboundMessage, Reply } from '../../core/messages';
import type { ConversationRef, InboundMessageInput, RecordedInbound } from '../../activities/types';
import type { ActivityCaller } from '../flow/activities';
import { WalkAbandoned } from '../flow/errors';

/** What storing a deferred contact message found; `diverted`: it is not a flow turn (consent, an appointment's answer). */
export type InboundOutcome = { recorded: RecordedInbound; diverted: boolean } | { error: unknown };

export class ConversationOutbox {
  /** The replies of the turn being answered, as stored (null between turns). */
  turnReplies: Reply[] | null = null;
  /** Said but not stored yet (batching only). */
  private pending: OutboundMessage[] = [];
  /** The contact's message, stored with the first flush of its turn. */
  private inbound: InboundMessageInput | null = null;
  private inboundOutcome: InboundOutcome | null = null;

  constructor(
    private readonly activities: ActivityCaller,
    private readonly ref: ConversationRef,
    readonly batches: boolean,
    /** The message joins the context window once it is stored (or queued to be). */
    private readonly remember: (text: string) => void,
  ) {
    if (batches) activities.flushBefore(() => this.flush());
  }

  /** A message (or the turn's contact message) waits for `flush`. */
  get hasUnstored(): boolean {
    return this.inbound !== null || this.pending.length > 0;
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

  /**
   * The contact's message is stored by the next flush, with the replies said before it. Until
   * `endDeferral`, a flush after one that found it diverted or unstorable throws WalkAbandoned:
   * nothing the walk does after that point may reach an activity or a timer.
   */
  deferInbound(inbound: InboundMessageInput): void {
    this.inbound = inbound;
    this.inboundOutcome = null;
  }

  /** The walk failed: what it said is not stored (its contact message still is, by endDeferral). */
  dropUnstoredReplies(): void {
    this.pending = [];
  }

  /** What storing the deferred message found (storing it now if nothing did); batching resumes as usual. */
  async endDeferral(): Promise<InboundOutcome> {
    if (this.inbound) await this.flush().catch((err) => {
      if (!(err instanceof WalkAbandoned)) throw err;
    });
    const outcome = this.inboundOutcome!;
    this.inboundOutcome = null;
    // A discarded walk's replies are never stored.
    if ('error' in outcome || outcome.diverted) this.pending = [];
    return outcome;
  }

  /** Stores the messages said since the last flush, in order, in one local activity. */
  async flush(): Promise<void> {
    if (this.inbound) return this.flushWithInbound();
    if (this.inboundOutcome && ('error' in this.inboundOutcome || this.inboundOutcome.diverted)) throw new WalkAbandoned();
    if (this.pending.length === 0) return;
    const messages = this.pending;
    this.pending = [];
    const replies = await this.activities.call(messages[0].nodeId ?? '@agent', 'deliverMessages', { ...this.ref, messages });
    this.turnReplies?.push(...replies);
  }

  private async flushWithInbound(): Promise<void> {
    const inbound = this.inbound!;
    const messages = this.pending;
    this.inbound = null;
    this.pending = [];
    try {
      const { inbound: recorded, replies } = await this.activities.call('@inbound', 'recordTurn', { ...this.ref, inbound, messages });
      const diverted = Boolean(recorded.consent || recorded.appointmentWorkflowId);
      this.inboundOutcome = { recorded, diverted };
      this.turnReplies?.push(...replies);
    } catch (err) {
      if (isCancellation(err)) throw err;
      this.inboundOutcome = { error: err };
    }
    if ('error' in this.inboundOutcome || this.inboundOutcome.diverted) throw new WalkAbandoned();
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
