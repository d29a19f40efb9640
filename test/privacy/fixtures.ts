/**
 * Rows of every kind the retention run and a contact's erasure touch, written straight into
 * PostgreSQL with chosen ages: each row's label (in its text, name or data) says what it is, so a
 * test can assert row by row which ones a run kept.
 */
import { randomUUID } from 'node:crypto';
import type { Orm } from '../../db/orm';

type Exec = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
export const execOf = (orm: Orm): Exec => (sql, params = []) => orm.em.getConnection().execute(sql, params);

export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

const isJson = (v: unknown) => v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v);

async function insert(exec: Exec, table: string, row: Record<string, unknown>): Promise<string> {
  const full = { id: randomUUID(), ...row };
  const cols = Object.keys(full);
  const values = Object.values(full);
  const marks = cols.map((c, i) => (c === 'embedding' ? '?::vector' : isJson(values[i]) ? '?::jsonb' : '?'));
  await exec(`insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) values (${marks.join(', ')})`, values.map((v) => (isJson(v) ? JSON.stringify(v) : v)));
  return full.id as string;
}

export interface Seeded {
  tenantId: string;
  flowId: string;
  contactId: string;
}

export async function baseRows(exec: Exec, tenantId: string): Promise<Seeded> {
  const flowId = await insert(exec, 'flows', { tenant_id: tenantId, name: 'Support', draft: { nodes: [], edges: [] } });
  const contactId = await insert(exec, 'contacts', { tenant_id: tenantId, channel: 'sms', external_id: `+1555${Math.floor(Math.random() * 1e7)}`, name: 'Ada Lovelace', phone: '+15550001111' });
  return { tenantId, flowId, contactId };
}

/** A conversation whose messages (one per age) are labelled `{label}:{age}d`. */
export async function conversation(exec: Exec, s: Seeded, label: string, opts: { status: string; lastMessageDaysAgo: number; messageAges: number[]; contactId?: string | null }): Promise<string> {
  const id = randomUUID();
  await insert(exec, 'conversations', {
    id,
    tenant_id: s.tenantId,
    flow_id: s.flowId,
    flow_version: 1,
    contact_id: opts.contactId === undefined ? s.contactId : opts.contactId,
    channel: 'sms',
    status: opts.status,
    workflow_id: `conv:${s.tenantId}:${id}`,
    variables: { label },
    created_at: daysAgo(Math.max(...opts.messageAges, opts.lastMessageDaysAgo)),
    last_message_at: daysAgo(opts.lastMessageDaysAgo),
  });
  for (const age of opts.messageAges) {
    await insert(exec, 'messages', { tenant_id: s.tenantId, conversation_id: id, direction: 'in', author: 'contact', text: `${label}:${age}d`, idempotency_key: randomUUID(), created_at: daysAgo(age) });
  }
  return id;
}

export async function media(exec: Exec, s: Seeded, conversationId: string | null, label: string, age: number, content = Buffer.from(label)): Promise<string> {
  return insert(exec, 'media_assets', {
    tenant_id: s.tenantId,
    conversation_id: conversationId,
    ref: label,
    name: `${label}.txt`,
    content_type: 'text/plain',
    byte_size: content.length,
    sha256: 'x'.repeat(64),
    content,
    created_at: daysAgo(age),
  });
}

/** A recorded provider webhook, labelled by its external id. */
export async function inbound(exec: Exec, s: Seeded, label: string, age: number, status = 'dispatched'): Promise<string> {
  const channelId = await insert(exec, 'channels', { tenant_id: s.tenantId, type: 'sms', name: `SMS ${label}` });
  return insert(exec, 'inbound_messages', { tenant_id: s.tenantId, channel_id: channelId, external_id: label, kind: 'message', payload: { label }, status, created_at: daysAgo(age) });
}

export async function knowledgeBase(exec: Exec, s: Seeded): Promise<string> {
  return insert(exec, 'knowledge_bases', { tenant_id: s.tenantId, name: 'FAQ', retrieval: {} });
}

/** A ready document updated `age` days ago, with one chunk. */
export async function document(exec: Exec, s: Seeded, kbId: string, label: string, age: number, status = 'ready'): Promise<string> {
  const id = await insert(exec, 'documents', { tenant_id: s.tenantId, knowledge_base_id: kbId, name: label, source_type: 'text', mime_type: 'text/plain', byte_size: 3, status, created_at: daysAgo(age), updated_at: daysAgo(age) });
  await insert(exec, 'chunks', {
    tenant_id: s.tenantId,
    knowledge_base_id: kbId,
    document_id: id,
    version: 1,
    ordinal: 0,
    text: label,
    token_count: 1,
    content_hash: 'h',
    embedding: `[${new Array(384).fill(0).join(',')}]`,
    embedder_id: 'test',
  });
  return id;
}

export async function event(exec: Exec, s: Seeded, label: string, age: number, data: Record<string, unknown> = {}): Promise<string> {
  return insert(exec, 'events', { tenant_id: s.tenantId, type: 'message.received', workflow_id: label, data: { label, ...data }, created_at: daysAgo(age) });
}

export async function subscription(exec: Exec, s: Seeded): Promise<string> {
  return insert(exec, 'webhook_subscriptions', { tenant_id: s.tenantId, url: 'https://example.test/hook', event_types: ['*'], secret_encrypted: 'x' });
}

export async function delivery(exec: Exec, s: Seeded, subscriptionId: string, eventId: string, label: string, age: number, status: string): Promise<string> {
  const id = await insert(exec, 'webhook_deliveries', { tenant_id: s.tenantId, subscription_id: subscriptionId, event_id: eventId, event_type: 'message.received', event_at: daysAgo(age), event_seq: daysAgo(age).getTime() * 1000, payload: { label }, status, created_at: daysAgo(age) });
  await insert(exec, 'webhook_attempts', { tenant_id: s.tenantId, delivery_id: id, attempt: 1, latency_ms: 5, status_code: 200 });
  return id;
}

export async function appointment(exec: Exec, s: Seeded, conversationId: string | null, contactId: string | null): Promise<string> {
  const locationId = await insert(exec, 'locations', { tenant_id: s.tenantId, name: 'Main', timezone: 'UTC' });
  const serviceId = await insert(exec, 'services', { tenant_id: s.tenantId, location_id: locationId, name: 'Checkup', duration_minutes: 30 });
  return insert(exec, 'appointments', {
    tenant_id: s.tenantId,
    service_id: serviceId,
    location_id: locationId,
    contact_id: contactId,
    conversation_id: conversationId,
    starts_at: daysAgo(-3),
    ends_at: daysAgo(-3.02),
    customer_name: 'Ada Lovelace',
    source: 'api',
  });
}

export async function campaignSend(exec: Exec, s: Seeded, contactId: string): Promise<string> {
  const campaignId = await insert(exec, 'campaigns', { tenant_id: s.tenantId, name: 'Spring sale' });
  const recipientId = await insert(exec, 'campaign_recipients', { tenant_id: s.tenantId, campaign_id: campaignId, contact_id: contactId, status: 'sent', channel: 'sms', idempotency_key: randomUUID(), replied_at: daysAgo(1) });
  await insert(exec, 'campaign_link_clicks', { tenant_id: s.tenantId, campaign_id: campaignId, recipient_id: recipientId, url: 'https://shop.test/sale' });
  return recipientId;
}

export async function consent(exec: Exec, s: Seeded, contactId: string): Promise<string> {
  return insert(exec, 'contact_consents', { tenant_id: s.tenantId, contact_id: contactId, channel: 'sms', status: 'opted_in', method: 'api' });
}

/** A rating at a csat node and the conversation's intent and sentiment labels. */
export async function feedback(exec: Exec, s: Seeded, conversationId: string, contactId: string): Promise<void> {
  await insert(exec, 'csat_responses', {
    tenant_id: s.tenantId,
    conversation_id: conversationId,
    contact_id: contactId,
    flow_id: s.flowId,
    flow_version: 1,
    node_id: 'rate',
    channel: 'api',
    scale: 'five',
    score: 4,
    answer: '4',
    idempotency_key: `csat:${conversationId}`,
  });
  await exec(`insert into conversation_labels (conversation_id, tenant_id, intent, intent_confidence, sentiment, sentiment_score, labelled_by, input_key) values (?, ?, 'billing', 0.9, 'positive', 0.5, 'offline', 'k')`, [conversationId, s.tenantId]);
}

/** Rows per table for one tenant (the tables a retention run or an erasure may touch). */
export async function tableCounts(exec: Exec, tenantId: string): Promise<Record<string, number>> {
  const tables = ['contacts', 'contact_consents', 'conversations', 'messages', 'media_assets', 'documents', 'chunks', 'events', 'webhook_deliveries', 'webhook_attempts', 'appointments', 'campaign_recipients', 'campaign_link_clicks', 'analytics_hourly', 'llm_calls', 'csat_responses', 'conversation_labels'];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await exec(`select count(*)::int as n from ${t} where tenant_id = ?`, [tenantId]))[0]!.n);
  return out;
}
