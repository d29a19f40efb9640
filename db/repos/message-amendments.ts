/**
 * Changes a provider reports to a message already stored: a contact's reaction (on their own
 * message or on one of our replies), an edit, a deletion. Each is one statement on the message
 * row, so two changes arriving together cannot lose each other; edits and deletions keep what the
 * text was in `metadata.history` (with the change's id, so a change applied twice counts once).
 * Raw SQL with explicit tenant and channel conditions (the tenant filter does not cover raw SQL).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { InboundEvent } from '../../core/inbound';

export type Amendment = Extract<InboundEvent, { kind: 'amend' }>;

/** What a deleted message reads as; its former text stays in the history. */
export const REVOKED_TEXT = '[message deleted]';

/** A contact's message has no channel id of its own (its conversation has); our replies do. */
const TARGET = `from conversations c
  where c.id = m.conversation_id and m.tenant_id = ? and m.external_id = ?
    and (m.channel_id = ? or (m.channel_id is null and c.channel_id = ?))`;

const HISTORY_ENTRY = `jsonb_build_array(jsonb_build_object('id', ?::text, 'type', ?::text, 'text', m.text, 'at', ?::text))`;
const NOT_APPLIED = `and not coalesce(m.metadata->'history', '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('id', ?::text))`;

/** Returns how many messages it changed (0: the message is not stored yet, or not on this channel). */
export async function applyAmendment(em: EntityManager, tenantId: string, channelId: string, a: Amendment): Promise<number> {
  const at = a.at ?? new Date().toISOString();
  const target = [tenantId, a.targetExternalId, channelId, channelId];
  const run = async (sql: string, params: unknown[]) =>
    ((await em.getConnection().execute(sql, params, 'run')) as { affectedRows?: number }).affectedRows ?? 0;
  switch (a.change.type) {
    case 'reaction':
      // One reaction per contact and message (WhatsApp, Messenger): a new one replaces it, an empty emoji removes it.
      return run(
        `update messages m set metadata = jsonb_set(m.metadata, '{reactions}',
           case when ?::text = '' then '[]'::jsonb else jsonb_build_array(jsonb_build_object('emoji', ?::text, 'at', ?::text)) end) ${TARGET}`,
        [a.change.emoji, a.change.emoji, at, ...target],
      );
    case 'edit':
      return run(
        `update messages m set text = ?, metadata = jsonb_set(m.metadata, '{history}', coalesce(m.metadata->'history', '[]'::jsonb) || ${HISTORY_ENTRY}) ${TARGET} ${NOT_APPLIED}`,
        [a.change.text, a.externalId, 'edit', at, ...target, a.externalId],
      );
    case 'revoke':
      return run(
        `update messages m set text = ?, metadata = jsonb_set(m.metadata, '{history}', coalesce(m.metadata->'history', '[]'::jsonb) || ${HISTORY_ENTRY})
           || jsonb_build_object('revoked', jsonb_build_object('at', ?::text)) ${TARGET} ${NOT_APPLIED}`,
        [REVOKED_TEXT, a.externalId, 'revoke', at, at, ...target, a.externalId],
      );
  }
}
