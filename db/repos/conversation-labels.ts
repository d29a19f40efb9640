/**
 * Per-conversation intent and sentiment labels: the contact messages they are computed from, the
 * idempotent write, the labels of a page of conversations, and counts over a range. Raw SQL names
 * the tenant; `em` must be tenant-scoped.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Sentiment } from '../../core/api/intents';
import { ConversationLabel } from '../entities';

export interface LabelInput {
  conversationId: string;
  status: string;
  isTest: boolean;
  contactTexts: string[];
  /** What is being labelled: the last contact message and whether the conversation is closed. */
  inputKey: string;
  workflowId: string;
}

/** Null when the conversation is gone (another tenant's, or deleted). */
export async function labelInput(em: EntityManager, tenantId: string, conversationId: string): Promise<LabelInput | null> {
  const [conv] = await em.getConnection().execute<{ status: string; is_test: boolean; workflow_id: string }[]>(
    `select status, is_test, workflow_id from conversations where tenant_id = ? and id = ?`,
    [tenantId, conversationId],
  );
  if (!conv) return null;
  const messages = await em.getConnection().execute<{ id: string; text: string }[]>(
    `select id, text from messages where tenant_id = ? and conversation_id = ? and author = 'contact' and text <> '' order by created_at, id`,
    [tenantId, conversationId],
  );
  const closed = conv.status === 'closed';
  return {
    conversationId,
    status: conv.status,
    isTest: conv.is_test,
    contactTexts: messages.map((m) => m.text),
    inputKey: `${messages.at(-1)?.id ?? 'none'}:${closed ? 'closed' : 'open'}`,
    workflowId: conv.workflow_id,
  };
}

export const storedLabels = (em: EntityManager, conversationId: string) => em.findOne(ConversationLabel, { conversation: conversationId });

export interface LabelsToStore {
  intent: string | null;
  intentConfidence: number | null;
  sentiment: Sentiment;
  sentimentScore: number;
  labelledBy: 'model' | 'offline';
  inputKey: string;
}

/** Writes the labels unless the same input was labelled already; true when it wrote. */
export async function storeLabels(em: EntityManager, tenantId: string, conversationId: string, labels: LabelsToStore): Promise<boolean> {
  const rows = await em.getConnection().execute<{ conversation_id: string }[]>(
    `insert into conversation_labels (conversation_id, tenant_id, intent, intent_confidence, sentiment, sentiment_score, labelled_by, input_key, labelled_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, now())
     on conflict (conversation_id) do update set intent = excluded.intent, intent_confidence = excluded.intent_confidence, sentiment = excluded.sentiment,
       sentiment_score = excluded.sentiment_score, labelled_by = excluded.labelled_by, input_key = excluded.input_key, labelled_at = excluded.labelled_at
     where conversation_labels.input_key <> excluded.input_key
       -- a late job for the open conversation does not undo the labels of its close
       and conversation_labels.input_key <> replace(excluded.input_key, ':open', ':closed')
     returning conversation_id`,
    [conversationId, tenantId, labels.intent, labels.intentConfidence, labels.sentiment, labels.sentimentScore, labels.labelledBy, labels.inputKey],
  );
  return rows.length > 0;
}

/** The labels of a page of conversations, by conversation id. */
export async function labelsOf(em: EntityManager, conversationIds: string[]): Promise<Map<string, ConversationLabel>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await em.find(ConversationLabel, { conversation: { $in: conversationIds } });
  return new Map(rows.map((r) => [r.conversation, r]));
}

export interface LabelCounts {
  total: number;
  intents: { intent: string | null; conversations: number }[];
  sentiments: { sentiment: Sentiment; conversations: number }[];
}

/**
 * Labelled conversations started between the local days `from` and `to` (YYYY-MM-DD, inclusive, in
 * `timezone`), counted per intent and per sentiment; test conversations left out.
 */
export async function countLabels(em: EntityManager, f: { tenantId: string; from: string; to: string; timezone: string }): Promise<LabelCounts> {
  const conn = em.getConnection();
  const base = `from conversation_labels l join conversations c on c.id = l.conversation_id
    where l.tenant_id = ? and c.tenant_id = ? and c.is_test = false
      and c.created_at >= (?::date)::timestamp at time zone ? and c.created_at < (?::date + 1)::timestamp at time zone ?`;
  const params = [f.tenantId, f.tenantId, f.from, f.timezone, f.to, f.timezone];
  const intents = await conn.execute<{ intent: string | null; n: string }[]>(`select l.intent, count(*) as n ${base} group by l.intent order by n desc, l.intent`, params);
  const sentiments = await conn.execute<{ sentiment: Sentiment; n: string }[]>(`select l.sentiment, count(*) as n ${base} group by l.sentiment`, params);
  return {
    total: intents.reduce((s, r) => s + Number(r.n), 0),
    intents: intents.map((r) => ({ intent: r.intent, conversations: Number(r.n) })),
    sentiments: (['positive', 'neutral', 'negative'] as const).map((s) => ({ sentiment: s, conversations: Number(sentiments.find((r) => r.sentiment === s)?.n ?? 0) })),
  };
}
