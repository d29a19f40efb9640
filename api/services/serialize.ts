/** Entities → API shapes, shared by REST routes and the chat socket. */
import type { Reply } from '../../core/messages';
import type { Conversation, Message } from '../../db/entities';
import { toReply } from '../../db/repos';

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function messageDto(m: Message) {
  // Usage and timestamps are read exactly as a turn's replies report them.
  const { usage, createdAt, agentName, citations } = toReply(m);
  return {
    id: m.id,
    direction: m.direction,
    author: m.author,
    text: m.text,
    nodeId: m.nodeId ?? null,
    source: m.source ?? null,
    ...(agentName ? { agentName } : {}),
    createdAt,
    ...(usage ? { usage: { ...usage, model: usage.model ?? null } } : {}),
    ...(citations?.length ? { citations } : {}),
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
