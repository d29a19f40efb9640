/**
 * The inbox's list items (a conversation with its contact, last message and agent) and the
 * tenant-wide live feed: activities publish light frames on `live:{tenant}`; each inbox socket
 * turns them into full list items, leaving test conversations out.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Message, type Conversation, type ConversationLabel } from '../../db/entities';
import { UNKNOWN_INTENT } from '../../core/api/intents';
import { tenantEm } from '../../db/orm';
import { getConversation, inboxExtras, labelsOf } from '../../db/repos';
import { tenantLiveChannel, type TenantLiveEvent } from '../../events/live';
import type { InboxFrame } from '../../core/api/inbox';
import type { AppDeps } from '../deps';
import type { LiveHub } from './live-hub';
import { fileLinks } from './message-content';
import { conversationDto, messageDto } from './serialize';

const labelsDto = (l: ConversationLabel | undefined) =>
  l
    ? { intent: l.intent ?? UNKNOWN_INTENT, intentConfidence: l.intentConfidence ?? null, sentiment: l.sentiment, sentimentScore: l.sentimentScore, labelledBy: l.labelledBy, labelledAt: new Date(l.labelledAt).toISOString() }
    : null;

export async function inboxItems(em: EntityManager, tenantId: string, conversations: Conversation[]) {
  const extras = await inboxExtras(em, tenantId, conversations);
  const labels = await labelsOf(em, conversations.map((c) => c.id));
  return conversations.map((c) => ({
    ...conversationDto(c),
    isTest: c.isTest,
    contact: extras.get(c.id)?.contact ?? null,
    lastMessage: extras.get(c.id)?.lastMessage ?? null,
    assignedAgent: c.assignedAgent ?? null,
    labels: labelsDto(labels.get(c.id)),
  }));
}

/**
 * Relays the tenant's feed to one listener until `stop` is called. Each event reads the
 * conversation once (fresh status and last message); test conversations are dropped.
 */
export async function followTenantFeed(deps: AppDeps, hub: LiveHub, tenantId: string, send: (frame: InboxFrame) => void, log: { warn: (o: object, m: string) => void }) {
  let queue = Promise.resolve();
  // After a gap in the feed (Redis restarted) the console reloads what it shows, as after its own reconnect.
  const resync = () => void (queue = queue.then(() => send({ type: 'resync' })));
  return hub.subscribe(tenantLiveChannel(tenantId), (raw) => {
    let event: TenantLiveEvent;
    try {
      event = JSON.parse(raw);
    } catch {
      return;
    }
    // In order, one at a time: a list item never overtakes the message it follows.
    queue = queue.then(async () => {
      const em = tenantEm(deps.orm, tenantId);
      const conversation = await getConversation(em, event.conversationId);
      if (!conversation || conversation.isTest) return;
      if (event.type === 'typing') return send({ type: 'typing', conversationId: event.conversationId, author: event.author, typing: event.typing });
      if (event.type === 'message') {
        // The stored row, so the frame carries what the transcript route returns (files, location, delivery status).
        const stored = await em.findOne(Message, { id: event.message.id, conversation: event.conversationId });
        const { direction: _direction, ...message } = stored ? messageDto(stored, fileLinks(deps)) : { direction: null, ...event.message };
        send({ type: 'message', conversationId: event.conversationId, message });
      }
      const [item] = await inboxItems(em, tenantId, [conversation]);
      send({ type: 'conversation', conversation: item });
    }).catch((err) => log.warn({ err }, 'inbox live frame failed'));
  }, resync);
}
