/**
 * Conversation storage: messages (idempotent on their key), live publishing, conversation state.
 * What the platform produced itself (model output, templates over HTTP responses, variables) is
 * cleaned of text PostgreSQL cannot store (core/text.ts), so a stray NUL from a model does not
 * fail the reply. A contact's message is not: the API and webhooks filter it at the door, and
 * one that slips past fails its turn with the flow's error message.
 */
import { ApplicationFailure } from '@temporalio/common';
import { stripUnstorableDeep } from '../../core/text';
import { tenantEm } from '../../db/orm';
import { inboundMayChangeConsent, insertMessagesWithEvents, noteContactInbound, patchConversation, toReply, type EnabledSubscription, type MessageEventRow, type NewMessage, type SeenContact, type StoredMessage } from '../../db/repos';
import type { ActivityDeps } from '../deps';
import { subjectEventId } from '../events';
import { publishLive, publishLiveMany, publishTenantLive, type LiveEvent } from '../../events/live';
import type { StoredEvent } from '../../events/sink';
import { nextEventSeq } from '../../events/queue';
import type { OutboundMessage, Reply } from '../../core/messages';
import type { ConversationRef, InboundMessageInput, RecordedInbound, SwitchboardActivities } from '../types';
import { awaitsAnswer, claimAwaited } from '../scheduling/replies';

/** Events one activity stored, with the webhook subscriptions the last storing statement read (none read: the fan-out reads them). */
interface StoredEvents {
  events: StoredEvent[];
  subscriptions?: EnabledSubscription[];
}

type Store = Pick<SwitchboardActivities, 'recordInbound' | 'recordTurn' | 'deliverMessage' | 'deliverMessages' | 'updateConversation' | 'publishNodeStatus'>;

/** A contact's message as a row. */
const contactRow = (input: ConversationRef & InboundMessageInput): NewMessage => ({
  conversationId: input.conversationId,
  direction: 'in',
  author: 'contact',
  text: input.text,
  idempotencyKey: input.key,
  externalId: input.externalId,
  metadata: input.metadata,
});

/** A bot's / agent's message as a row, cleaned of text PostgreSQL cannot store. */
function outboundRow(ref: ConversationRef, raw: OutboundMessage): NewMessage {
  const m = stripUnstorableDeep(raw);
  return {
    conversationId: ref.conversationId,
    direction: 'out',
    author: m.author,
    text: m.text,
    idempotencyKey: m.key,
    nodeId: m.nodeId,
    source: m.source,
    usage: m.usage,
    citations: m.citations,
    ...(m.agentName || m.rich ? { metadata: { ...(m.agentName ? { agentName: m.agentName } : {}), ...(m.rich ? { rich: m.rich } : {}) } } : {}),
  };
}

const contactLive = (message: StoredMessage): LiveEvent => ({ type: 'message', message: { ...toReply(message), author: 'contact' } });

export function storeActivities({ orm, redis, afterEventsStored }: ActivityDeps): Store {
  /**
   * Stores messages of one conversation once per key, in order, each with its `message.received`
   * / `message.sent` event (and `conversation.started` before the conversation's first), in one
   * statement, and returns the events for the caller to hand on (afterEventsStored, with the
   * subscriptions the statement read); a retry returns what the first attempt stored, so they are
   * handed on again (the fan-out is idempotent).
   */
  async function storeMessages(ref: ConversationRef, rows: NewMessage[]): Promise<{ messages: StoredMessage[]; stored: StoredEvents; seenContact: SeenContact | null }> {
    const eventsOf = (m: NewMessage, id: string, createdAt: Date): MessageEventRow[] => {
      const type = m.direction === 'in' ? 'message.received' : 'message.sent';
      return [
        { id: subjectEventId(ref.tenantId, 'conversation.started', ref.conversationId), type: 'conversation.started', data: { conversationId: ref.conversationId, channel: ref.channel }, onlyIfFirst: true },
        {
          id: subjectEventId(ref.tenantId, type, id),
          type,
          data: { conversationId: ref.conversationId, channel: ref.channel, message: { id, author: m.author, text: m.text, createdAt: createdAt.toISOString() } },
        },
      ];
    };
    const { stored, subscriptions, seenContact } = await insertMessagesWithEvents(tenantEm(orm, ref.tenantId), ref.tenantId, ref, rows, eventsOf);
    // Numbered as they are stored: after every event the conversation's workflow emitted before.
    const events = stored.flatMap((s) => s.events).map((e) => ({ ...e, tenantId: ref.tenantId, workflowId: ref.workflowId, seq: nextEventSeq() }));
    return { messages: stored.map((s) => s.message), stored: { events, subscriptions }, seenContact };
  }

  const handOn = ({ events, subscriptions }: StoredEvents) => (events.length ? afterEventsStored(events, subscriptions) : Promise.resolve());

  /**
   * Stores the bot's / agent's messages in order, in one statement; their events are handed on
   * after `earlier` (the turn's contact message's, stored by the same activity), and they are
   * published after `earlierLive` (that message's), in one round trip.
   */
  async function deliver(ref: ConversationRef, outbound: OutboundMessage[], earlier?: StoredEvents, earlierLive: LiveEvent[] = []): Promise<Reply[]> {
    const { messages, stored } = await storeMessages(ref, outbound.map((m) => outboundRow(ref, m)));
    return finishTurn(ref, messages.map(toReply), { events: [...(earlier?.events ?? []), ...stored.events], subscriptions: stored.subscriptions }, earlierLive);
  }

  /** The stored messages' events handed on, then every message published, in order. */
  async function finishTurn(ref: ConversationRef, replies: Reply[], stored: StoredEvents, earlierLive: LiveEvent[]): Promise<Reply[]> {
    await handOn(stored);
    await publishLiveMany(redis, ref.tenantId, ref.conversationId, [...earlierLive, ...replies.map((message): LiveEvent => ({ type: 'message', message }))]);
    return replies;
  }

  /**
   * The contact's message stored and published (at once, or, without `publishNow`, by the caller
   * with its replies), then what it means besides a turn: a consent keyword, or the answer an
   * appointment waits for (claimed once). Its events are handed on, and it is published, before a
   * claim is taken (nothing may fail after it); otherwise the events are returned for the caller
   * to hand on, with the replies' when it stores them.
   */
  async function recordContactMessage(input: ConversationRef & InboundMessageInput, publishNow: boolean): Promise<{ recorded: RecordedInbound; stored: StoredEvents; live: LiveEvent[] }> {
    const {
      messages: [message],
      stored,
      seenContact,
    } = await storeMessages(input, [contactRow(input)]);
    const live = contactLive(message);
    if (publishNow) await publishLive(redis, input.tenantId, input.conversationId, live);
    let unpublished = publishNow ? [] : [live];
    const em = tenantEm(orm, input.tenantId);
    const consent = await noteContactInbound(em, seenContact, { channel: input.channel, text: input.text, messageId: message.id, at: new Date(message.createdAt), metadata: input.metadata });
    if (consent) return { recorded: { messageId: message.id, consent }, stored, live: unpublished };
    let unhanded = stored;
    const claimed = await claimAwaited(redis, input.tenantId, input.conversationId, input.text, async () => {
      await handOn(stored);
      await publishLiveMany(redis, input.tenantId, input.conversationId, unpublished);
      unhanded = { events: [] };
      unpublished = [];
    });
    return { recorded: { messageId: message.id, ...(claimed ? { appointmentWorkflowId: claimed.workflowId } : {}) }, stored: unhanded, live: unpublished };
  }

  return {
    async recordInbound(input) {
      const { recorded, stored } = await recordContactMessage(input, true);
      await handOn(stored);
      return recorded;
    },

    // The message is stored with the replies in one statement, its events handed on and it
    // published with theirs (one fan-out, one round trip to Redis). A message an appointment
    // waits for, or one that may be a consent keyword, is stored first: one that went elsewhere
    // stores no replies, and the workflow discards the walk that said them.
    async recordTurn({ inbound, messages, ...ref }) {
      const input = { ...ref, ...inbound };
      if (!inboundMayChangeConsent(ref.channel) && !(await awaitsAnswer(redis, ref.tenantId, ref.conversationId, inbound.text))) {
        const { messages: [message, ...said], stored } = await storeMessages(ref, [contactRow(input), ...messages.map((m) => outboundRow(ref, m))]);
        return { inbound: { messageId: message.id }, replies: await finishTurn(ref, said.map(toReply), stored, [contactLive(message)]) };
      }
      const { recorded, stored, live } = await recordContactMessage(input, false);
      if (recorded.consent || recorded.appointmentWorkflowId || messages.length === 0) {
        await handOn(stored);
        await publishLiveMany(redis, ref.tenantId, ref.conversationId, live);
        return { inbound: recorded, replies: [] };
      }
      return { inbound: recorded, replies: await deliver(ref, messages, stored, live) };
    },

    // 'api' and 'webchat' deliver by storing and publishing; every attempt publishes again
    // (a listener may have missed the first), clients dedupe by message id.
    async deliverMessage(input) {
      const [reply] = await deliver(input, [input.message]);
      return reply;
    },

    deliverMessages: (input) => deliver(input, input.messages),

    async updateConversation(input) {
      const found = await patchConversation(tenantEm(orm, input.tenantId), input.conversationId, {
        status: input.status,
        variables: stripUnstorableDeep(input.variables),
        currentNodeId: input.currentNodeId,
      });
      if (!found) throw ApplicationFailure.nonRetryable(`conversation ${input.conversationId} not found`, 'NotFound');
      await publishTenantLive(redis, input.tenantId, { type: 'conversation', conversationId: input.conversationId });
    },

    async publishNodeStatus({ tenantId, conversationId, nodeId, status }) {
      await publishLive(redis, tenantId, conversationId, { type: 'node', nodeId, status });
    },
  };
}
