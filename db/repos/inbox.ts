/**
 * The inbox's view of conversations: filtered lists (test conversations left out unless asked
 * for), each with its contact and last message. `em` must be tenant-scoped (tenantEm).
 */
import { randomUUID } from 'node:crypto';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UNKNOWN_INTENT, type Sentiment } from '../../core/api/intents';
import type { ValidGraph } from '../../core/graph/schema';
import { conversationWorkflowId } from '../../core/ids';
import type { ConversationStatus } from '../../core/conversations';
import { Contact, Conversation } from '../entities';
import { keysetAfter, pageLimit, toPage, type Page } from './cursor';

export interface InboxFilter {
  status?: ConversationStatus;
  channel?: string;
  flowId?: string;
  includeTest?: boolean;
  limit?: number;
  cursor?: string;
  intent?: string;
  sentiment?: Sentiment;
}

/** The labels condition (conversation_labels, worker/labels.ts) as one `exists`; null without label filters. */
function labelsCondition(filter: InboxFilter) {
  const conditions: string[] = [];
  const params: string[] = [];
  if (filter.intent === UNKNOWN_INTENT) conditions.push('l.intent is null');
  else if (filter.intent) conditions.push('l.intent = ?') && params.push(filter.intent);
  if (filter.sentiment) conditions.push('l.sentiment = ?') && params.push(filter.sentiment);
  if (conditions.length === 0) return null;
  return raw((alias: string) => `exists (select 1 from conversation_labels l where l.conversation_id = ${alias}.id and ${conditions.join(' and ')})`, params);
}

export async function listInboxConversations(em: EntityManager, filter: InboxFilter = {}): Promise<Page<Conversation>> {
  const limit = pageLimit(filter.limit);
  const where: Record<string, unknown> = keysetAfter(filter.cursor, 'lastMessageAt', 'desc');
  if (filter.status) where.status = filter.status;
  if (filter.channel) where.channel = filter.channel;
  if (filter.flowId) where.flow = filter.flowId;
  if (!filter.includeTest) where.isTest = false;
  const labels = labelsCondition(filter);
  if (labels) where[labels as unknown as string] = [];
  const rows = await em.find(Conversation, where, { orderBy: { lastMessageAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return toPage(rows, limit, (c) => c.lastMessageAt);
}

export interface InboxExtras {
  contact: { id: string; name: string | null; email: string | null; phone: string | null } | null;
  lastMessage: { text: string; author: string; createdAt: string } | null;
}

/** Contacts and last messages of a page of conversations: two queries, whatever the page size. */
export async function inboxExtras(em: EntityManager, tenantId: string, conversations: Conversation[]): Promise<Map<string, InboxExtras>> {
  const out = new Map<string, InboxExtras>(conversations.map((c) => [c.id, { contact: null, lastMessage: null }]));
  if (conversations.length === 0) return out;
  const contactIds = [...new Set(conversations.map((c) => c.contact).filter((x): x is string => !!x))];
  const contacts = contactIds.length ? await em.find(Contact, { id: { $in: contactIds } }) : [];
  const byId = new Map(contacts.map((c) => [c.id, c]));
  for (const c of conversations) {
    const contact = c.contact ? byId.get(c.contact) : undefined;
    if (contact) out.get(c.id)!.contact = { id: contact.id, name: contact.name ?? null, email: contact.email ?? null, phone: contact.phone ?? null };
  }
  // Raw SQL bypasses the tenant filter: the tenant condition is explicit.
  const rows = await em.getConnection().execute<{ conversation_id: string; text: string; author: string; created_at: Date }[]>(
    `select distinct on (conversation_id) conversation_id, text, author, created_at from messages
     where tenant_id = ? and conversation_id = any(?::uuid[]) order by conversation_id, created_at desc, id desc`,
    [tenantId, `{${conversations.map((c) => c.id).join(',')}}`],
  );
  for (const r of rows) out.get(r.conversation_id)!.lastMessage = { text: r.text, author: r.author, createdAt: new Date(r.created_at).toISOString() };
  return out;
}

export async function setAssignedAgent(em: EntityManager, id: string, agent: string | null): Promise<void> {
  await em.nativeUpdate(Conversation, { id }, { assignedAgent: agent });
}

/** A "Try it" conversation on a draft graph: version 0, flagged so lists and counts skip it. */
export async function createTestConversation(em: EntityManager, tenantId: string, input: { flowId: string; graph: ValidGraph }): Promise<Conversation> {
  const id = randomUUID();
  const conversation = em.create(Conversation, {
    id,
    tenant: tenantId,
    flow: input.flowId,
    flowVersion: 0,
    channel: 'webchat',
    workflowId: conversationWorkflowId(tenantId, id),
    variables: {},
    isTest: true,
    testGraph: input.graph,
  });
  await em.flush();
  return conversation;
}

/** The draft graph a test conversation runs; null for other conversations. */
export async function testConversationGraph(em: EntityManager, id: string): Promise<{ flowId: string; graph: ValidGraph } | null> {
  const row = await em.findOne(Conversation, { id, isTest: true }, { populate: ['testGraph'] });
  return row?.testGraph ? { flowId: row.flow, graph: row.testGraph } : null;
}
