/**
 * The operations on one `conversation` run: the contact's messages (turns), agent messages,
 * take-over and release, input timeouts and the close. All work that touches state goes through
 * one mutex so turns never interleave; the state itself and what the operations share are
 * ConversationCore's.
 */
import { quotaHold } from '../../core/quotas';
import { currentUpdateInfo, getExternalWorkflowHandle, log } from '@temporalio/workflow';
import { containsHandoffKeyword } from '../../core/handoff';
import { SEEN_EXTERNAL_IDS } from '../../core/channels';
import type { Reply } from '../../core/messages';
import { messageVariable } from '../../core/message-content';
import type { InboundMessageInput, RecordedInbound } from '../../activities/types';
import type { InboundText, TurnResult } from '../messages';
import { isKeyedTurnUpdateId, replySignal } from '../messages';
import { errorMessage, WalkAbandoned } from '../flow/errors';
import { DEFAULT_HANDOFF_MESSAGE } from '../../core/nodes/handoff';
import { handOff } from '../flow/handlers/handoff';
import { answer, timeout, walk } from '../flow/interpreter';
import { ConversationCore } from './conversation-core';

/** Keyed turns remembered across continue-as-new: a client retries within seconds, long before 20 more turns. */
const KEYED_TURNS = 20;

export class ConversationSession extends ConversationCore {
  // ---- operations (each serialized) ----

  /** One contact message; resolves with the replies of this turn. */
  /**
   * The `turn` update. Temporal runs an update id once per run; a turn sent with an idempotency key
   * is also answered once across continue-as-new: its result is carried to the next runs (the
   * last KEYED_TURNS of them), and a client retrying it there gets that result, not a second turn.
   */
  turnUpdate(msg: InboundText): Promise<TurnResult> {
    const updateId = currentUpdateInfo()?.id;
    if (!updateId || !isKeyedTurnUpdateId(updateId)) return this.inbound(msg);
    const earlier = this.keyedTurns.find((t) => t.updateId === updateId);
    if (earlier) return Promise.resolve(earlier.result);
    return this.inbound(msg).then((result) => {
      this.keyedTurns = [...this.keyedTurns, { updateId, result }].slice(-KEYED_TURNS);
      return result;
    });
  }

  inbound(msg: InboundText): Promise<TurnResult> {
    return new Promise<TurnResult>((resolve, reject) => {
      void this.mutex.run(async () => {
        const replies: Reply[] = [];
        let settled = false;
        this.outbox.turnReplies = replies;
        this.settleTurn = () => {
          if (settled) return;
          settled = true;
          this.outbox.turnReplies = null;
          resolve({ replies, status: this.status });
        };
        try {
          await this.processInbound(msg);
          if (this.outbox.hasUnstored) await this.outbox.flush();
          this.settleTurn();
        } catch (err) {
          if (!settled) reject(err);
          else log.error('turn failed after its replies were returned', { error: String(err) });
        } finally {
          settled = true;
          this.settleTurn = null;
          this.outbox.turnReplies = null;
        }
      });
    });
  }

  agentMessage(text: string, agentName?: string): Promise<void> {
    return this.mutex.run(async () => {
      if (this.status === 'closed') return;
      this.touch();
      this.setStatus('human');
      await this.deliver({ key: this.key('@agent'), text, author: 'agent', source: 'agent', ...(agentName ? { agentName } : {}) });
      await this.afterTurn();
    });
  }

  takeOver(): Promise<void> {
    return this.mutex.run(async () => {
      if (this.status === 'closed') return;
      this.setStatus('human');
      await this.afterTurn();
    });
  }

  /** Back to the bot; the walk continues after the handoff node when there is a next node. */
  release(): Promise<void> {
    return this.mutex.run(async () => {
      if (this.status === 'closed' || this.status === 'bot') return;
      this.setStatus('bot');
      const from = this.resumeNodeId;
      this.resumeNodeId = null;
      if (from) await this.apply(await walk(this, from));
      else this.armInputTimer();
      await this.afterTurn();
    });
  }

  inputTimeout(): Promise<void> {
    this.inputDeadline = null;
    return this.mutex.run(async () => {
      if (!this.cursor || this.status !== 'bot') return;
      await this.apply(await timeout(this, this.cursor));
      await this.afterTurn();
    });
  }

  close(reason: 'idle' | 'requested'): Promise<void> {
    return this.mutex.run(async () => {
      // Where it ended and who had it, before the close clears them: the flow drop-off figures.
      const { nodes, edges, lastNodeId, handoffNodeId } = this.path.state();
      const at = { nodeId: this.cursor?.nodeId ?? lastNodeId, statusBefore: this.status, handoffNodeId, visitedNodeIds: nodes, followedEdgeIds: edges };
      this.cursor = null;
      this.setStatus('closed');
      await this.afterTurn();
      await this.emit('conversation.closed', { reason, ...at });
    });
  }

  // ---- the contact's messages ----


  private async processInbound({ text, externalId, metadata }: InboundText): Promise<void> {
    if (this.status === 'closed') return;
    // Providers redeliver webhooks: the same provider message id makes one turn, however often it is signalled.
    if (externalId) {
      if (this.seenExternalIds.includes(externalId)) return;
      this.seenExternalIds = [...this.seenExternalIds, externalId].slice(-SEEN_EXTERNAL_IDS);
    }
    this.turn++;
    this.touch();
    const inbound = { key: `${this.keyPrefix}:in:${this.turn}`, text, externalId, ...(metadata ? { metadata } : {}) };
    // A message held over the quota is stored and nothing more: no walk to store it with.
    if (this.storesInboundWithReplies && !quotaHold(metadata)) return this.walkThenRecord(inbound);
    let recorded: RecordedInbound;
    try {
      recorded = await this.activities.call('@inbound', 'recordInbound', { ...this.ref, ...inbound });
    } catch (err) {
      return this.inboundNotStored(err);
    }
    this.rememberInbound(text, metadata);
    if (!(await this.turnWentElsewhere(recorded, text, metadata))) await this.runFlow(text);
    await this.afterTurn();
  }

  /** INBOUND_WITH_REPLIES_PATCH: the walk runs first; its first flush stores the contact's message with its replies. */
  private async walkThenRecord(inbound: InboundMessageInput): Promise<void> {
    const before = this.snapshot();
    this.rememberInbound(inbound.text, inbound.metadata);
    this.outbox.deferInbound(inbound);
    try {
      await this.runFlow(inbound.text);
    } catch (err) {
      if (!(err instanceof WalkAbandoned)) {
        // The contact's message is stored whatever became of the walk; what the walk said is not.
        this.outbox.dropUnstoredReplies();
        await this.outbox.endDeferral();
        throw err;
      }
    }
    const outcome = await this.outbox.endDeferral();
    if ('error' in outcome) {
      this.restore(before);
      return this.inboundNotStored(outcome.error);
    }
    if (outcome.diverted) {
      this.restore(before);
      this.rememberInbound(inbound.text, inbound.metadata);
      if (!(await this.turnWentElsewhere(outcome.recorded, inbound.text, inbound.metadata))) await this.runFlow(inbound.text);
    }
    await this.afterTurn();
  }

  /**
   * A message that cannot be stored (the database refuses it, or the store stays down) fails
   * this turn only: the contact is told and the next message is a turn like any other.
   */
  private async inboundNotStored(err: unknown): Promise<void> {
    await this.deliver({ key: this.key('@error'), text: this.graph.settings.errorMessage, author: 'system', source: 'error' });
    await this.emit('flow.failed', { nodeId: '@inbound', error: errorMessage(err) });
  }

  private rememberInbound(text: string, metadata: Record<string, unknown> | undefined): void {
    this.window.push({ role: 'user', content: text });
    // Flows read the contact's last message as `message` (kind, text, subject, location…): no command, so histories replay.
    this.variables.message = messageVariable(text, metadata);
  }

  /** A stored message that is not a flow turn (a consent keyword, over the quota, an appointment's answer) is handled here: true. */
  private async turnWentElsewhere(recorded: RecordedInbound, text: string, metadata: Record<string, unknown> | undefined): Promise<boolean> {
    if (recorded.consent) {
      // STOP / START changed the contact's consent: confirmed once (unless the provider did), never a flow turn.
      if (recorded.consent.confirm) await this.deliver({ key: this.key('@consent'), text: recorded.consent.confirm, author: 'system', source: 'consent' });
      return true;
    }
    const held = quotaHold(metadata);
    if (held) {
      // Over the tenant's messages-per-minute quota (ingress/dispatcher.ts): stored, no turn; the notice goes out once per window.
      if (held.notice) await this.deliver({ key: this.key('@quota'), text: held.notice, author: 'system', source: 'quota' });
      return true;
    }
    return Boolean(recorded.appointmentWorkflowId && (await this.handToAppointment(recorded.appointmentWorkflowId, text, recorded.messageId)));
  }

  private async runFlow(text: string): Promise<void> {
    if (this.status !== 'bot') return;
    // A handoff keyword keeps the pending question: after release the next reply answers it.
    if (containsHandoffKeyword(text, this.graph.settings.handoffKeywords)) await handOff(this, '@keyword', DEFAULT_HANDOFF_MESSAGE, 'keyword');
    else await this.apply(this.cursor ? await answer(this, this.cursor, text) : await walk(this, this.graph.startId));
  }

  /** The contact answered an appointment's reminder: its workflow replies, not the flow. False when that booking's run is over. */
  private async handToAppointment(workflowId: string, text: string, messageId: string): Promise<boolean> {
    try {
      await getExternalWorkflowHandle(workflowId).signal(replySignal, { text, messageId });
      return true;
    } catch (err) {
      log.warn('appointment reply not delivered; the flow answers it', { workflowId, error: String(err) });
      return false;
    }
  }
}
