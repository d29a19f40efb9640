/**
 * CSAT responses (db/entities/csat-response.ts): written once per idempotency key by the `csat`
 * node's activities, read back for the conversation view. The flow, version, contact and channel
 * come from the conversation row, so the workflow does not carry them. Raw SQL names `tenant_id`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CsatScale } from '../../core/csat';

export interface CsatRow {
  id: string;
  conversationId: string;
  contactId: string | null;
  flowId: string;
  flowVersion: number;
  nodeId: string;
  channel: string;
  scale: CsatScale;
  score: number;
  answer: string;
  comment: string | null;
  createdAt: string;
  /** A "Try it" conversation's rating: stored, but announced to no webhook and counted in no figure. */
  isTest: boolean;
}

const COLUMNS = `r.id, r.conversation_id, r.contact_id, r.flow_id, r.flow_version, r.node_id, r.channel, r.scale, r.score, r.answer, r.comment, r.created_at, c.is_test`;

function toRow(r: Record<string, unknown>): CsatRow {
  return {
    id: String(r.id),
    conversationId: String(r.conversation_id),
    contactId: r.contact_id ? String(r.contact_id) : null,
    flowId: String(r.flow_id),
    flowVersion: Number(r.flow_version),
    nodeId: String(r.node_id),
    channel: String(r.channel),
    scale: r.scale as CsatScale,
    score: Number(r.score),
    answer: String(r.answer),
    comment: r.comment === null || r.comment === undefined ? null : String(r.comment),
    createdAt: new Date(r.created_at as string).toISOString(),
    isTest: Boolean(r.is_test),
  };
}

/** Stores a rating once per key (a retried activity finds the first row); null when the conversation is not the tenant's. */
export async function insertCsatResponse(
  em: EntityManager,
  tenantId: string,
  input: { conversationId: string; key: string; nodeId: string; scale: CsatScale; score: number; answer: string },
): Promise<CsatRow | null> {
  const conn = em.getConnection();
  await conn.execute(
    `insert into csat_responses (tenant_id, conversation_id, contact_id, flow_id, flow_version, node_id, channel, scale, score, answer, idempotency_key)
     select c.tenant_id, c.id, c.contact_id, c.flow_id, c.flow_version, ?, c.channel, ?, ?, ?, ?
       from conversations c where c.id = ? and c.tenant_id = ?
     on conflict (tenant_id, idempotency_key) do nothing`,
    [input.nodeId, input.scale, input.score, input.answer, input.key, input.conversationId, tenantId],
  );
  const [row] = await conn.execute(
    `select ${COLUMNS} from csat_responses r join conversations c on c.id = r.conversation_id where r.tenant_id = ? and r.idempotency_key = ?`,
    [tenantId, input.key],
  );
  return row ? toRow(row) : null;
}

/** The follow-up's answer on the conversation's latest rating at that node (setting it again changes nothing). */
export async function commentCsatResponse(em: EntityManager, tenantId: string, input: { conversationId: string; nodeId: string; comment: string | null }): Promise<CsatRow | null> {
  const [row] = await em.getConnection().execute(
    `with latest as (select id from csat_responses where tenant_id = ? and conversation_id = ? and node_id = ? order by created_at desc, id desc limit 1),
          updated as (update csat_responses r set comment = coalesce(?, r.comment) from latest where r.id = latest.id returning r.*)
     select ${COLUMNS} from updated r join conversations c on c.id = r.conversation_id`,
    [tenantId, input.conversationId, input.nodeId, input.comment],
  );
  return row ? toRow(row) : null;
}

/** A conversation's ratings, latest first (the conversation view shows the latest). */
export async function csatOfConversation(em: EntityManager, tenantId: string, conversationId: string): Promise<CsatRow[]> {
  const rows = await em.getConnection().execute(
    `select ${COLUMNS} from csat_responses r join conversations c on c.id = r.conversation_id
      where r.tenant_id = ? and r.conversation_id = ? order by r.created_at desc, r.id desc limit 20`,
    [tenantId, conversationId],
  );
  return rows.map(toRow);
}

/** The `csat.submitted` event's data. */
export function csatEventData(row: CsatRow): Record<string, unknown> {
  const { isTest: _test, id, ...rest } = row;
  return { responseId: id, ...rest, satisfied: row.score >= 4 };
}
