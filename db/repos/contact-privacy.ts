/**
 * Everything stored about one contact, to export it or to erase it. The export is a list of
 * sections, one function per table group: a table added later that holds a contact's data is one
 * more section (and, with `on delete cascade` to contacts or conversations, erased with them).
 * Queries name the tenant themselves (the caller's entity manager is tenant-scoped too).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { appointmentWorkflowId, mediaWorkflowId } from '../../core/ids';
import type { SegmentFilter } from '../../core/campaigns';
import { segmentSql } from './segment-sql';

export interface ContactScope {
  tenantId: string;
  contactId: string;
  /** The contact's conversations (they hold its messages, files and events). */
  conversationIds: string[];
}

/** One file of the export: JSON, or bytes read when the zip gets to it (media are read one at a time). */
export type ExportEntry = { path: string; json: unknown } | { path: string; size: number; read: () => Promise<Buffer> };

export type ExportSection = (em: EntityManager, scope: ContactScope) => Promise<ExportEntry[]>;

type Row = Record<string, unknown>;
const camel = (row: Row): Row => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]));
const rows = async (em: EntityManager, sql: string, params: unknown[]) => ((await em.getConnection().execute<Row[]>(sql, params)) as Row[]).map(camel);
const uuids = (ids: string[]) => `{${ids.join(',')}}`;

/** The contact, its consent per channel, and the segments whose rules it matches today (segments store rules, not members). */
const contactSection: ExportSection = async (em, s) => {
  const [contact] = await rows(em, `select * from contacts where tenant_id = ? and id = ?`, [s.tenantId, s.contactId]);
  const consents = await rows(em, `select channel, status, method, source, opted_in_at, opted_out_at, updated_at from contact_consents where tenant_id = ? and contact_id = ? order by channel`, [s.tenantId, s.contactId]);
  const segments: Row[] = [];
  for (const segment of await rows(em, `select id, name, filter from segments where tenant_id = ? order by name, id`, [s.tenantId])) {
    const where = segmentSql(segment.filter as SegmentFilter);
    const [hit] = await em.getConnection().execute(`select 1 as hit from contacts c where c.tenant_id = ? and c.id = ? and ${where.sql}`, [s.tenantId, s.contactId, ...where.params]);
    if (hit) segments.push({ id: segment.id, name: segment.name });
  }
  return [{ path: 'contact.json', json: { contact, consents, segments } }];
};

/** Conversations, each with its messages in order. */
const conversationsSection: ExportSection = async (em, s) => {
  const conversations = await rows(em, `select * from conversations where tenant_id = ? and id = any(?::uuid[]) order by created_at, id`, [s.tenantId, uuids(s.conversationIds)]);
  const messages = await rows(em, `select * from messages where tenant_id = ? and conversation_id = any(?::uuid[]) order by created_at, id`, [s.tenantId, uuids(s.conversationIds)]);
  return [{ path: 'conversations.json', json: conversations.map((c) => ({ ...c, messages: messages.filter((m) => m.conversationId === c.id) })) }];
};

const appointmentsSection: ExportSection = async (em, s) => [
  {
    path: 'appointments.json',
    json: await rows(em, `select * from appointments where tenant_id = ? and (contact_id = ? or conversation_id = any(?::uuid[])) order by starts_at, id`, [s.tenantId, s.contactId, uuids(s.conversationIds)]),
  },
];

/** Campaign sends to the contact (status, delivery, reply and click times) with the links it clicked; replies themselves are messages of its conversations. */
const campaignsSection: ExportSection = async (em, s) => {
  const sends = await rows(
    em,
    `select r.*, c.name as campaign_name from campaign_recipients r join campaigns c on c.id = r.campaign_id where r.tenant_id = ? and r.contact_id = ? order by r.created_at, r.id`,
    [s.tenantId, s.contactId],
  );
  const clicks = await rows(em, `select recipient_id, url, clicked_at, user_agent from campaign_link_clicks where tenant_id = ? and recipient_id = any(?::uuid[]) order by clicked_at`, [
    s.tenantId,
    uuids(sends.map((r) => String(r.id))),
  ]);
  return [{ path: 'campaigns.json', json: sends.map((r) => ({ ...r, clicks: clicks.filter((c) => c.recipientId === r.id) })) }];
};

/** Platform events about its conversations (what webhooks and analytics were told). */
const eventsSection: ExportSection = async (em, s) => [
  {
    path: 'events.json',
    json: await rows(em, `select id, type, workflow_id, data, created_at from events where tenant_id = ? and (data->>'conversationId') = any(?::text[]) order by created_at, id`, [s.tenantId, uuids(s.conversationIds)]),
  },
];

/** Its ratings at csat nodes and the intent and sentiment its conversations were labelled with. */
const feedbackSection: ExportSection = async (em, s) => [
  {
    path: 'ratings.json',
    json: await rows(em, `select * from csat_responses where tenant_id = ? and (contact_id = ? or conversation_id = any(?::uuid[])) order by created_at, id`, [s.tenantId, s.contactId, uuids(s.conversationIds)]),
  },
  {
    path: 'labels.json',
    json: await rows(em, `select conversation_id, intent, intent_confidence, sentiment, sentiment_score, labelled_by, labelled_at from conversation_labels where tenant_id = ? and conversation_id = any(?::uuid[]) order by conversation_id`, [
      s.tenantId,
      uuids(s.conversationIds),
    ]),
  },
];

/** Files received or sent in its conversations (and future call recordings): an index, and each file under media/. */
const mediaSection: ExportSection = async (em, s) => {
  const assets = await rows(
    em,
    `select id, conversation_id, message_external_id, ref, content_type, name, byte_size, sha256, created_at from media_assets where tenant_id = ? and conversation_id = any(?::uuid[]) order by created_at, id`,
    [s.tenantId, uuids(s.conversationIds)],
  );
  const withPaths: (Row & { path: string })[] = assets.map((a) => ({ ...a, path: `media/${String(a.id)}-${safeName(String(a.name ?? a.ref))}` }));
  const read = (id: unknown) => async () => {
    const [row] = await em.getConnection().execute<{ content: Buffer }[]>(`select content from media_assets where tenant_id = ? and id = ?`, [s.tenantId, id]);
    return row?.content ?? Buffer.alloc(0);
  };
  return [{ path: 'media.json', json: withPaths }, ...withPaths.map((a) => ({ path: a.path, size: Number(a.byteSize), read: read(a.id) }))];
};

/** A file name safe in any unzip tool: no directories, no control characters. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '').slice(0, 100) || 'file';

/** In the zip's order. A new table group is one line here. */
export const CONTACT_EXPORT_SECTIONS: readonly ExportSection[] = [contactSection, conversationsSection, appointmentsSection, campaignsSection, feedbackSection, eventsSection, mediaSection];

/** The contact's scope, or null when the tenant has no such contact (another tenant's, or erased). */
export async function contactScope(em: EntityManager, tenantId: string, contactId: string): Promise<ContactScope | null> {
  const [contact] = await em.getConnection().execute(`select id from contacts where tenant_id = ? and id = ?`, [tenantId, contactId]);
  if (!contact) return null;
  const conversations = await em.getConnection().execute<{ id: string }[]>(`select id from conversations where tenant_id = ? and contact_id = ?`, [tenantId, contactId]);
  return { tenantId, contactId, conversationIds: conversations.map((c) => c.id) };
}

/** Every Temporal workflow id that may hold the contact's data: its conversations, appointments, and inbound file downloads. */
export async function contactWorkflowIds(em: EntityManager, s: ContactScope): Promise<string[]> {
  const conn = em.getConnection();
  const conversations = await conn.execute<{ workflow_id: string }[]>(`select workflow_id from conversations where tenant_id = ? and id = any(?::uuid[])`, [s.tenantId, uuids(s.conversationIds)]);
  const appointments = await conn.execute<{ id: string }[]>(`select id from appointments where tenant_id = ? and (contact_id = ? or conversation_id = any(?::uuid[]))`, [s.tenantId, s.contactId, uuids(s.conversationIds)]);
  const media = await conn.execute<{ channel_id: string; message_external_id: string }[]>(
    `select distinct channel_id, message_external_id from media_assets where tenant_id = ? and conversation_id = any(?::uuid[]) and channel_id is not null and message_external_id is not null`,
    [s.tenantId, uuids(s.conversationIds)],
  );
  return [
    ...conversations.map((c) => c.workflow_id),
    ...appointments.map((a) => appointmentWorkflowId(s.tenantId, a.id)),
    ...media.map((m) => mediaWorkflowId(s.tenantId, m.channel_id, m.message_external_id)),
  ];
}

/**
 * Deletes the contact and everything about it in one transaction, returning the rows removed per
 * table. Consents and campaign sends (with their clicks) go by `on delete cascade`; model call
 * records stay without their conversation (costs, no content); analytics rollups stay (counts).
 */
export async function eraseContactRows(em: EntityManager, s: ContactScope): Promise<Record<string, number>> {
  return em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const counts: Record<string, number> = {};
    const run = async (table: string, sql: string, params: unknown[]) => {
      counts[table] = (await conn.execute<{ affectedRows: number }>(sql, params, 'run')).affectedRows;
    };
    const conv = uuids(s.conversationIds);
    const [cascaded] = await conn.execute<{ consents: number; sends: number }[]>(
      `select (select count(*) from contact_consents where contact_id = ?)::int as consents, (select count(*) from campaign_recipients where contact_id = ?)::int as sends`,
      [s.contactId, s.contactId],
    );
    await run('media_assets', `delete from media_assets where tenant_id = ? and conversation_id = any(?::uuid[])`, [s.tenantId, conv]);
    await run('messages', `delete from messages where tenant_id = ? and conversation_id = any(?::uuid[])`, [s.tenantId, conv]);
    await run('inbound_messages', `delete from inbound_messages where tenant_id = ? and conversation_id = any(?::uuid[])`, [s.tenantId, conv]);
    const events = await conn.execute<{ id: string }[]>(`delete from events where tenant_id = ? and (data->>'conversationId') = any(?::text[]) returning id`, [s.tenantId, conv]);
    counts.events = events.length;
    await run('webhook_deliveries', `delete from webhook_deliveries where tenant_id = ? and event_id = any(?::uuid[])`, [s.tenantId, uuids(events.map((e) => e.id))]);
    await run('appointments', `delete from appointments where tenant_id = ? and (contact_id = ? or conversation_id = any(?::uuid[]))`, [s.tenantId, s.contactId, conv]);
    await run('conversations', `delete from conversations where tenant_id = ? and id = any(?::uuid[])`, [s.tenantId, conv]);
    await run('contacts', `delete from contacts where tenant_id = ? and id = ?`, [s.tenantId, s.contactId]);
    counts.contact_consents = cascaded?.consents ?? 0;
    counts.campaign_recipients = cascaded?.sends ?? 0;
    return counts;
  });
}
