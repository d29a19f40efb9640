/**
 * Conversation routing for channel messages: (channel, thread key) → the open conversation, or a
 * new one on the channel's flow with its contact. A partial unique index allows one open
 * conversation per thread, so two first messages racing each other land in the same one.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { conversationWorkflowId } from '../../core/ids';
import type { Channel as ChannelType } from '../../core/messages';
import { Conversation } from '../entities';
import { upsertContact } from './conversations';

export interface ThreadRoute {
  channelId: string;
  channelType: ChannelType;
  threadKey: string;
  /** Provider ids of the messages this one answers (InboundEvent.repliesTo). */
  repliesTo?: string[];
  contactAddress: string;
  contactName?: string;
}

export interface RoutedConversation {
  id: string;
  flowId: string;
  flowVersion: number;
  created: boolean;
}

const openConversation = (em: EntityManager, channelId: string, threadKey: string) =>
  em.findOne(Conversation, { channelId, threadKey, status: { $ne: 'closed' } }, { fields: ['id', 'flow', 'flowVersion'] });

/**
 * The open conversation on the channel that sent one of `repliesTo` to this same contact (most
 * recent first): a reply to a campaign email, whose conversation is keyed by the address rather
 * than by the email thread. A stranger quoting the thread (a forward) is not let in.
 */
async function repliedConversation(em: EntityManager, tenantId: string, channelId: string, repliesTo: string[], contactAddress: string) {
  const [row] = await em.getConnection().execute<{ id: string; flow_id: string; flow_version: number }[]>(
    `select c.id, c.flow_id, c.flow_version
       from messages m join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
      where m.tenant_id = ? and m.channel_id = ? and m.external_id = any(array[?]::text[]) and m.direction = 'out' and c.channel_id = ? and c.status <> 'closed'
        and (lower(ct.email) = ? or ct.external_id = ?)
      order by array_position(array[?]::text[], m.external_id::text) limit 1`,
    [tenantId, channelId, repliesTo, channelId, contactAddress.toLowerCase(), contactAddress, repliesTo],
  );
  return row ?? null;
}

/** A new open conversation on a thread; null when another one was opened on it first (the partial unique index). */
export async function insertThreadConversation(
  em: EntityManager,
  tenantId: string,
  c: { flowId: string; version: number; contactId: string; channelType: ChannelType; channelId: string; threadKey: string },
): Promise<string | null> {
  const id = randomUUID();
  const inserted = await em.getConnection().execute<{ id: string }[]>(
    `insert into conversations (id, tenant_id, flow_id, flow_version, contact_id, channel, channel_id, thread_key, workflow_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (channel_id, thread_key) where channel_id is not null and status <> 'closed' do nothing returning id`,
    [id, tenantId, c.flowId, c.version, c.contactId, c.channelType, c.channelId, c.threadKey, conversationWorkflowId(tenantId, id)],
  );
  return inserted.length ? id : null;
}

/** `em` is tenant-scoped; `flow` is asked for only when a conversation has to be created. */
export async function routeConversation(
  em: EntityManager,
  tenantId: string,
  route: ThreadRoute,
  flow: () => Promise<{ flowId: string; version: number }>,
): Promise<RoutedConversation> {
  const open = await openConversation(em, route.channelId, route.threadKey);
  if (open) return { id: open.id, flowId: open.flow, flowVersion: open.flowVersion, created: false };
  const replied = route.repliesTo?.length ? await repliedConversation(em, tenantId, route.channelId, route.repliesTo.slice(0, 50), route.contactAddress) : null;
  if (replied) return { id: replied.id, flowId: replied.flow_id, flowVersion: replied.flow_version, created: false };

  const { flowId, version } = await flow();
  const profile = {
    ...(route.contactName ? { name: route.contactName } : {}),
    ...(route.contactAddress.startsWith('+') ? { phone: route.contactAddress } : {}),
    ...(route.contactAddress.includes('@') ? { email: route.contactAddress } : {}),
  };
  const contact = await upsertContact(em, tenantId, route.channelType, route.contactAddress, profile);
  const id = await insertThreadConversation(em, tenantId, { flowId, version, contactId: contact.id, channelType: route.channelType, channelId: route.channelId, threadKey: route.threadKey });
  if (id) return { id, flowId, flowVersion: version, created: true };
  const winner = await openConversation(em.fork(), route.channelId, route.threadKey);
  if (!winner) throw new Error(`conversation for thread ${route.threadKey} vanished while routing`);
  return { id: winner.id, flowId: winner.flow, flowVersion: winner.flowVersion, created: false };
}

/** The contact wrote: the 24-hour window restarts, and provider thread context accumulates. */
export async function noteContactActivity(em: EntityManager, conversationId: string, at: Date, thread?: Record<string, unknown>): Promise<void> {
  await em.getConnection().execute(
    `update conversations set last_inbound_at = greatest(coalesce(last_inbound_at, ?), ?), thread = thread || ?::jsonb, updated_at = now() where id = ?`,
    [at, at, JSON.stringify(thread ?? {}), conversationId],
  );
}
