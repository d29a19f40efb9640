/**
 * Widget visitors: a browser keeps a random visitor id, and each session request turns it into a
 * signed token for the visitor's open conversation on the channel, creating it (and starting its
 * workflow) the first time. A conversation is routed by (channel, thread key = visitor id), the
 * same key the channels foundation routes provider conversations by; the open-thread unique index
 * makes two simultaneous first requests land on one conversation.
 */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors';
import { conversationWorkflowId } from '../../core/ids';
import { Conversation } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { upsertContact } from '../../db/repos';
import type { AppDeps } from '../deps';
import { signChatToken, verifyChatToken, type ChatTokenPayload } from './chat-token';
import { requireVersion } from './lookups';
import type { WebchatChannel } from './widget-channels';

export const VISITOR_TOKEN_TTL_SECONDS = 12 * 3600;

export type VisitorTokenPayload = Required<ChatTokenPayload>;

const findOpen = (em: EntityManager, channelId: string, visitorId: string) =>
  em.findOne(Conversation, { channelId, threadKey: visitorId, status: { $ne: 'closed' } }, { fields: ['id'] });

/** The visitor's open conversation on the channel, or a new one running the channel's flow. */
export async function openVisitorConversation(deps: AppDeps, channel: WebchatChannel, visitorId: string): Promise<{ conversationId: string; resumed: boolean }> {
  const em = tenantEm(deps.orm, channel.tenantId);
  const existing = await findOpen(em, channel.id, visitorId);
  if (existing) return { conversationId: existing.id, resumed: true };
  if (!channel.flowId) throw new AppError('conflict', 'the channel has no flow: set its flowId through /v1/channels', { field: 'flowId' });

  const version = await requireVersion(em, channel.flowId);
  const contact = await upsertContact(em, channel.tenantId, 'webchat', visitorId);
  const id = randomUUID();
  em.create(Conversation, {
    id,
    tenant: channel.tenantId,
    flow: channel.flowId,
    flowVersion: version.version,
    channel: 'webchat',
    channelId: channel.id,
    threadKey: visitorId,
    contact: contact.id,
    workflowId: conversationWorkflowId(channel.tenantId, id),
    variables: {},
  });
  try {
    await em.flush();
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    // Another request for the same visitor created it first: resume that one.
    const winner = await findOpen(tenantEm(deps.orm, channel.tenantId), channel.id, visitorId);
    if (winner) return { conversationId: winner.id, resumed: true };
    throw err;
  }
  await deps.workflows.conversation.start(channel.tenantId, id, { flowId: channel.flowId, version: version.version, graph: version.graph }, 'webchat');
  return { conversationId: id, resumed: false };
}

export function signVisitorToken(secret: Buffer, payload: Omit<VisitorTokenPayload, 'exp'>, now = Date.now()): { token: string; expiresAt: string } {
  const exp = Math.floor(now / 1000) + VISITOR_TOKEN_TTL_SECONDS;
  return { token: signChatToken(secret, { ...payload, exp }), expiresAt: new Date(exp * 1000).toISOString() };
}

/** A chat token minted for a widget visitor; a developer's chat token (no visitor) is refused. */
export function verifyVisitorToken(secret: Buffer, token: string): VisitorTokenPayload {
  const payload = verifyChatToken(secret, token);
  if (!payload.channelId || !payload.visitorId) throw new AppError('unauthorized', 'not a widget visitor token', { field: 'token' });
  return payload as VisitorTokenPayload;
}
