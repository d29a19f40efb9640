/** Entities → API shapes, shared by REST routes and the chat socket. */
import type { Reply } from '../../core/messages';
import type { Conversation, Message } from '../../db/entities';
import { toReply } from '../../db/repos';
import { messageContentDto, type FileLink } from './message-content';

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** `fileLink` signs links to stored attachments; without it files are listed with no link. */
export function messageDto(m: Message, fileLink?: FileLink) {
  // Usage, timestamps and citations are read exactly as a turn's replies report them.
  const reply = toReply(m);
  return {
    ...replyDto(reply),
    ...messageContentDto(m, fileLink),
    direction: m.direction,
    // A stored message always has these keys (null when unset); a turn's reply leaves them out.
    nodeId: m.nodeId ?? null,
    source: m.source ?? null,
    ...(reply.usage ? { usage: { ...reply.usage, model: reply.usage.model ?? null } } : {}),
  };
}

/** A synchronous turn's reply as the API returns it. */
export function replyDto(r: Reply) {
  return {
    id: r.id,
    text: r.text,
    author: r.author,
    nodeId: r.nodeId,
    source: r.source,
    ...(r.agentName ? { agentName: r.agentName } : {}),
    createdAt: r.createdAt,
    ...(r.citations?.length ? { citations: r.citations } : {}),
  };
}

export function conversationDto(c: Conversation) {
  return {
    id: c.id,
    workflowId: c.workflowId,
    flowId: c.flow,
    flowVersion: c.flowVersion,
    channel: c.channel,
    status: c.status,
    currentNodeId: c.currentNodeId ?? null,
    variables: c.variables ?? {},
    createdAt: iso(c.createdAt)!,
    lastMessageAt: iso(c.lastMessageAt),
  };
}
