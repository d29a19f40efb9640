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
import { insertMessageOnce, messageEventInfo, noteContactInbound, patchConversation, toReply } from '../../db/repos';
import type { Message } from '../../db/entities';
import type { ActivityDeps } from '../deps';
import { queueEvent, subjectJobId } from '../events';
import { publishLive, publishTenantLive } from '../../events/live';
import type { ConversationRef, SwitchboardActivities } from '../types';
import { claimAwaited } from '../scheduling/replies';

type Store = Pick<SwitchboardActivities, 'recordInbound' | 'deliverMessage' | 'updateConversation' | 'publishNodeStatus'>;

export function storeActivities({ orm, redis, eventsQueue }: ActivityDeps): Store {
  /**
   * `message.received` / `message.sent` for a stored message (and `conversation.started` before the
   * conversation's first), on every attempt: the job ids derive from the message, so a retry queues nothing new.
   */
  async function messageEvents(ref: ConversationRef, message: Message, type: 'message.received' | 'message.sent'): Promise<void> {
    const info = await messageEventInfo(tenantEm(orm, ref.tenantId), ref.conversationId, message.id);
    if (!info || info.isTest) return;
    const base = { tenantId: ref.tenantId, workflowId: ref.workflowId };
    if (info.first) await queueEvent(eventsQueue, { ...base, type: 'conversation.started', data: { conversationId: ref.conversationId, channel: ref.channel } }, subjectJobId(ref.tenantId, 'conversation.started', ref.conversationId));
    const data = { conversationId: ref.conversationId, channel: ref.channel, message: { id: message.id, author: message.author, text: message.text, createdAt: new Date(message.createdAt).toISOString() } };
    await queueEvent(eventsQueue, { ...base, type, data }, subjectJobId(ref.tenantId, type, message.id));
  }

  return {
    async recordInbound(input) {
      const em = tenantEm(orm, input.tenantId);
      const { message } = await insertMessageOnce(em, input.tenantId, {
        conversationId: input.conversationId,
        direction: 'in',
        author: 'contact',
        text: input.text,
        idempotencyKey: input.key,
        externalId: input.externalId,
        metadata: input.metadata,
      });
      const reply = toReply(message);
      await publishLive(redis, input.tenantId, input.conversationId, { type: 'message', message: { ...reply, author: 'contact' } });
      await messageEvents(input, message, 'message.received');
      const consent = await noteContactInbound(em, { conversationId: input.conversationId, channel: input.channel, text: input.text, messageId: message.id, at: new Date(message.createdAt), metadata: input.metadata });
      if (consent) return { messageId: message.id, consent };
      // After the message is stored: a claim is taken once, so nothing may fail after it.
      const claimed = await claimAwaited(redis, input.tenantId, input.conversationId, input.text);
      return { messageId: message.id, ...(claimed ? { appointmentWorkflowId: claimed.workflowId } : {}) };
    },

    // 'api' and 'webchat' deliver by storing and publishing; every attempt publishes again
    // (a listener may have missed the first), clients dedupe by message id.
    async deliverMessage(input) {
      const em = tenantEm(orm, input.tenantId);
      const m = stripUnstorableDeep(input.message);
      const { message } = await insertMessageOnce(em, input.tenantId, {
        conversationId: input.conversationId,
        direction: 'out',
        author: m.author,
        text: m.text,
        idempotencyKey: m.key,
        nodeId: m.nodeId,
        source: m.source,
        usage: m.usage,
        citations: m.citations,
        ...(m.agentName || m.rich ? { metadata: { ...(m.agentName ? { agentName: m.agentName } : {}), ...(m.rich ? { rich: m.rich } : {}) } } : {}),
      });
      const reply = toReply(message);
      await publishLive(redis, input.tenantId, input.conversationId, { type: 'message', message: reply });
      await messageEvents(input, message, 'message.sent');
      return reply;
    },

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
