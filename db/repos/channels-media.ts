/** Files that came in on a channel, stored once per (channel, provider message, ref). */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface NewMediaAsset {
  channelId: string;
  conversationId: string;
  messageExternalId: string;
  ref: string;
  contentType: string;
  name?: string;
  data: Buffer;
}

export async function storeMediaAsset(em: EntityManager, tenantId: string, m: NewMediaAsset): Promise<{ id: string; byteSize: number }> {
  const sha256 = createHash('sha256').update(m.data).digest('hex');
  const rows = await em.getConnection().execute<{ id: string; byte_size: number }[]>(
    `with ins as (
       insert into media_assets (tenant_id, channel_id, conversation_id, message_external_id, ref, content_type, name, byte_size, sha256, content)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (channel_id, message_external_id, ref) do nothing returning id, byte_size)
     select id, byte_size from ins
     union all
     select id, byte_size from media_assets where channel_id = ? and message_external_id = ? and ref = ? and tenant_id = ? and not exists (select 1 from ins)`,
    [tenantId, m.channelId, m.conversationId, m.messageExternalId, m.ref, m.contentType, m.name ?? null, m.data.length, sha256, m.data, m.channelId, m.messageExternalId, m.ref, tenantId],
  );
  return { id: rows[0].id, byteSize: rows[0].byte_size };
}

/**
 * Replaces entry `index` of the inbound message's `metadata.attachments` (a file that was
 * `pending`) with its outcome; returns the message id, or null while the conversation has not
 * stored the message yet. Raw SQL with explicit tenant conditions (the tenant filter does not cover raw SQL).
 */
export async function setAttachmentOutcome(em: EntityManager, tenantId: string, conversationId: string, messageExternalId: string, index: number, entry: Record<string, unknown>): Promise<string | null> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `update messages set metadata = jsonb_set(metadata, array['attachments', ?::text], ?::jsonb)
     where tenant_id = ? and conversation_id = ? and external_id = ? and direction = 'in' and metadata->'attachments'->(?::int) is not null
     returning id`,
    [String(index), JSON.stringify(entry), tenantId, conversationId, messageExternalId, index],
  );
  return rows[0]?.id ?? null;
}
