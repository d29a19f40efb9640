/**
 * Delivery state of messages on external channels: what a send needs to know about its message,
 * the provider id and status it stores, and statuses from provider receipts. Raw SQL with explicit
 * tenant / channel conditions (the tenant filter does not cover raw SQL).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RichContent } from '../../core/messages';

export interface OutboundForSend {
  messageId: string;
  text: string;
  /** Template / media / options the flow attached (kept in the message's metadata). */
  rich: RichContent | null;
  externalId: string | null;
  status: string | null;
  error: string | null;
  channelId: string | null;
  conversationId: string;
  contactAddress: string | null;
  threadKey: string | null;
  thread: Record<string, unknown>;
  lastInboundAt: Date | null;
}

/**
 * Where a conversation's replies go: the contact's id on this channel when the contact was made by
 * it, else the address of the channel's kind (a contact reused across channels, or imported).
 */
const CONTACT_ADDRESS = `coalesce(case when ct.channel = c.channel then ct.external_id end,
  case c.channel when 'sms' then ct.phone when 'whatsapp' then ct.phone when 'email' then ct.email when 'messenger' then ct.messenger_psid end)`;

export async function outboundForSend(em: EntityManager, tenantId: string, key: string): Promise<OutboundForSend | null> {
  const rows = await em.getConnection().execute(
    `select m.id as "messageId", m.text, m.metadata->'rich' as rich, m.external_id as "externalId", m.status, m.error, c.channel_id as "channelId", c.id as "conversationId",
            ${CONTACT_ADDRESS} as "contactAddress", c.thread_key as "threadKey", c.thread, c.last_inbound_at as "lastInboundAt"
       from messages m join conversations c on c.id = m.conversation_id left join contacts ct on ct.id = c.contact_id
      where m.idempotency_key = ? and m.tenant_id = ?`,
    [key, tenantId],
  );
  return (rows[0] as OutboundForSend | undefined) ?? null;
}

export async function markSent(em: EntityManager, messageId: string, channelId: string, providerMessageId: string): Promise<void> {
  await em.getConnection().execute(
    `update messages set external_id = ?, channel_id = ?, status = coalesce(status, 'sent'), error = null where id = ?`,
    [providerMessageId, channelId, messageId],
  );
}

/** Whether another message of the channel already holds this provider id (a message found on a retry must not be claimed twice). */
export async function providerIdTaken(em: EntityManager, channelId: string, providerMessageId: string, messageId: string): Promise<boolean> {
  const rows = await em.getConnection().execute(`select 1 from messages where channel_id = ? and external_id = ? and id <> ? limit 1`, [channelId, providerMessageId, messageId]);
  return rows.length > 0;
}

export async function markSendFailed(em: EntityManager, messageId: string, channelId: string | null, error: string): Promise<void> {
  await em.getConnection().execute(`update messages set status = 'failed', error = ?, channel_id = coalesce(channel_id, ?) where id = ?`, [error.slice(0, 2000), channelId, messageId]);
}

export async function mergeThread(em: EntityManager, conversationId: string, thread: Record<string, unknown>): Promise<void> {
  await em.getConnection().execute(`update conversations set thread = thread || ?::jsonb where id = ?`, [JSON.stringify(thread), conversationId]);
}

/** sent < delivered < read; a receipt never moves a message backwards, `failed` wins over sent/delivered. */
const RANK = `case status when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 when 'failed' then 4 else 0 end`;
const NEW_RANK = `case ?::text when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 when 'failed' then 4 else 0 end`;

/** A message a receipt changed, so its conversation's listeners can be told. */
export interface ReceiptMatch {
  id: string;
  conversationId: string;
}

/** Returns the messages the receipt matched (none: not stored yet, or not ours). */
export async function applyDeliveryStatus(em: EntityManager, channelId: string, externalId: string, status: string, error?: string): Promise<ReceiptMatch[]> {
  return em.getConnection().execute<ReceiptMatch[]>(
    `update messages set status = case when ${RANK} < ${NEW_RANK} then ?::text else status end,
                         error = case when ?::text = 'failed' then coalesce(?, error) else error end
      where channel_id = ? and external_id = ?
      returning id, conversation_id as "conversationId"`,
    [status, status, status, error ?? null, channelId, externalId],
  );
}

/** Messenger read receipts: everything sent to the contact up to the watermark is read; returns the messages that changed. */
export async function applyReadWatermark(em: EntityManager, channelId: string, contactAddress: string, at: Date): Promise<ReceiptMatch[]> {
  return em.getConnection().execute<ReceiptMatch[]>(
    `update messages m set status = 'read'
       from conversations c
      where m.conversation_id = c.id and c.channel_id = ? and c.thread_key = ? and m.channel_id = ? and m.direction = 'out'
        and m.created_at <= ? and m.status in ('sent', 'delivered')
      returning m.id, m.conversation_id as "conversationId"`,
    [channelId, contactAddress, channelId, at],
  );
}
