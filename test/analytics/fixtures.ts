/**
 * Conversations, messages and events written straight into PostgreSQL at known instants, and the
 * rollup rows they must produce, computed by hand (see `EXPECTED`). One fixed day, 2026-03-10, UTC.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { graphSchema } from '../../core/graph/schema';
import { systemEm, tenantEm, type Orm } from '../../db/orm';
import { createFlow, ensureTenant } from '../../db/repos';
import { uniqueSlug } from '../db/fixtures';

const EMPTY_GRAPH = graphSchema.parse({ nodes: [{ id: 'start', type: 'start', data: {} }], edges: [], settings: { handoffKeywords: [] } });
export const DAY = '2026-03-10';
export const at = (time: string) => new Date(`${DAY}T${time}Z`);

type Exec = (sql: string, params: unknown[]) => Promise<unknown>;
const execOf = (em: EntityManager): Exec => (sql, params) => em.getConnection().execute(sql, params, 'run');

export async function addConversation(exec: Exec, c: { tenantId: string; flowId: string; channel: string; createdAt: Date; isTest?: boolean }) {
  const id = randomUUID();
  await exec(
    `insert into conversations (id, tenant_id, flow_id, flow_version, channel, workflow_id, status, created_at, updated_at, last_message_at, is_test)
     values (?, ?, ?, 1, ?, ?, 'bot', ?, ?, ?, ?)`,
    [id, c.tenantId, c.flowId, c.channel, `conv:${c.tenantId}:${id}`, c.createdAt, c.createdAt, c.createdAt, c.isTest ?? false],
  );
  return id;
}

export async function addMessage(
  exec: Exec,
  m: { tenantId: string; conversationId: string; direction: 'in' | 'out'; author: string; at: Date; status?: string; promptTokens?: number; completionTokens?: number; costUsd?: number },
) {
  await exec(
    `insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, status, prompt_tokens, completion_tokens, cost_usd, created_at)
     values (?, ?, ?, ?, 'text', ?, ?, ?, ?, ?, ?)`,
    [m.tenantId, m.conversationId, m.direction, m.author, randomUUID(), m.status ?? null, m.promptTokens ?? 0, m.completionTokens ?? 0, m.costUsd ?? 0, m.at],
  );
}

export async function addEvent(exec: Exec, e: { tenantId: string; type: string; at: Date; data: Record<string, unknown> }) {
  await exec(`insert into events (tenant_id, type, workflow_id, data, created_at) values (?, ?, 'wf', ?::jsonb, ?)`, [e.tenantId, e.type, JSON.stringify(e.data), e.at]);
}

/** A rating at a csat node, scored 1–5 (thumbs: 5 or 1). */
export async function addCsat(exec: Exec, r: { tenantId: string; conversationId: string; scale?: 'five' | 'thumbs'; score: number; at: Date }) {
  await exec(
    `insert into csat_responses (tenant_id, conversation_id, flow_id, flow_version, node_id, channel, scale, score, answer, idempotency_key, created_at)
     select tenant_id, id, flow_id, flow_version, 'rate', channel, ?, ?, ?, ?, ? from conversations where id = ?`,
    [r.scale ?? 'five', r.score, String(r.score), randomUUID(), r.at, r.conversationId],
  );
}

/** Two flows, Support and Sales, in a new tenant or the one given. */
export async function makeAnalyticsTenant(orm: Orm, existingTenantId?: string) {
  const tenantId = existingTenantId ?? (await ensureTenant(systemEm(orm), uniqueSlug('an'), 'Analytics tenant')).id;
  const em = tenantEm(orm, tenantId);
  const support = await createFlow(em, tenantId, { name: 'Support', draft: EMPTY_GRAPH });
  const sales = await createFlow(em, tenantId, { name: 'Sales', draft: EMPTY_GRAPH });
  return { tenantId, support: support.id, sales: sales.id };
}

/**
 * The day's traffic of one tenant:
 * - C1 webchat/Support, 10:05: greeting 10:05:00, contact 10:06:00, reply 10:06:30 (100+20 tokens, $0.001), closed 10:20 by the bot alone.
 * - C2 webchat/Support, 10:40: contact 10:40:00, reply 11:00:10 (50+10 tokens, $0.0005), handoff 11:01:00, agent 11:03:00 and 11:04:00, closed 11:10.
 * - C3 whatsapp/Sales, 11:30: contact 11:30:00, reply 11:30:05 whose send failed, a failed turn (flow.failed) 11:31.
 * - a failed automation run of Sales at 11:45 (run.failed).
 * - CSAT: C1 rated 5 at 10:21; C2 a thumbs down (1) at 11:12; C3 rated 4 at 11:35 and 3 at 11:50.
 * - T1, a "Try it" conversation at 10:10 with two messages, a handoff and a rating of 1: left out.
 */
export async function writeDay(orm: Orm, t: { tenantId: string; support: string; sales: string }) {
  const exec = execOf(systemEm(orm));
  const tenantId = t.tenantId;
  const msg = (conversationId: string, direction: 'in' | 'out', author: string, time: string, extra: Partial<Parameters<typeof addMessage>[1]> = {}) =>
    addMessage(exec, { tenantId, conversationId, direction, author, at: at(time), ...extra });
  const event = (type: string, time: string, data: Record<string, unknown>) => addEvent(exec, { tenantId, type, at: at(time), data });

  const c1 = await addConversation(exec, { tenantId, flowId: t.support, channel: 'webchat', createdAt: at('10:05:00') });
  await msg(c1, 'out', 'bot', '10:05:00');
  await msg(c1, 'in', 'contact', '10:06:00');
  await msg(c1, 'out', 'bot', '10:06:30', { promptTokens: 100, completionTokens: 20, costUsd: 0.001 });
  await event('conversation.closed', '10:20:00', { conversationId: c1, reason: 'bot' });

  const c2 = await addConversation(exec, { tenantId, flowId: t.support, channel: 'webchat', createdAt: at('10:40:00') });
  await msg(c2, 'in', 'contact', '10:40:00');
  await msg(c2, 'out', 'bot', '11:00:10', { promptTokens: 50, completionTokens: 10, costUsd: 0.0005 });
  await event('handoff.requested', '11:01:00', { conversationId: c2, nodeId: 'h', reason: null });
  await msg(c2, 'out', 'agent', '11:03:00');
  await msg(c2, 'out', 'agent', '11:04:00');
  await event('conversation.closed', '11:10:00', { conversationId: c2, reason: 'agent' });

  const c3 = await addConversation(exec, { tenantId, flowId: t.sales, channel: 'whatsapp', createdAt: at('11:30:00') });
  await msg(c3, 'in', 'contact', '11:30:00');
  await msg(c3, 'out', 'bot', '11:30:05', { status: 'failed' });
  await event('flow.failed', '11:31:00', { conversationId: c3, nodeId: 'n', error: 'boom' });
  await event('run.failed', '11:45:00', { flowId: t.sales, status: 'failed', error: { nodeId: 'n', message: 'boom' } });

  const test = await addConversation(exec, { tenantId, flowId: t.support, channel: 'webchat', createdAt: at('10:10:00'), isTest: true });
  await msg(test, 'in', 'contact', '10:10:00');
  await msg(test, 'out', 'bot', '10:10:01', { promptTokens: 999, costUsd: 1 });
  await event('handoff.requested', '10:11:00', { conversationId: test });

  const rate = (conversationId: string, score: number, time: string, scale: 'five' | 'thumbs' = 'five') => addCsat(exec, { tenantId, conversationId, score, scale, at: at(time) });
  await rate(c1, 5, '10:21:00');
  await rate(c2, 1, '11:12:00', 'thumbs');
  await rate(c3, 4, '11:35:00');
  await rate(c3, 3, '11:50:00');
  await rate(test, 1, '10:12:00');
  return { c1, c2, c3 };
}

const zero = {
  conversations: 0, messages_in: 0, messages_out: 0, handoffs: 0, closed: 0, closed_without_human: 0,
  first_response_ms_sum: 0, first_response_count: 0, time_to_human_ms_sum: 0, time_to_human_count: 0,
  prompt_tokens: 0, completion_tokens: 0, cost_usd: 0, errors: 0,
  csat_responses: 0, csat_score_sum: 0, csat_satisfied: 0,
};

/** By hand, from the list above. */
export const expectedRows = (t: { support: string; sales: string }) => [
  // C1 and C2 start; C1's greeting and reply, both contacts' first messages; C1's 30 s first response; C1 closed by the bot alone.
  { hour: at('10:00:00').toISOString(), channel: 'webchat', flow_id: t.support, ...zero, conversations: 2, messages_in: 2, messages_out: 2, closed: 1, closed_without_human: 1, first_response_ms_sum: 30_000, first_response_count: 1, prompt_tokens: 100, completion_tokens: 20, cost_usd: 0.001, csat_responses: 1, csat_score_sum: 5, csat_satisfied: 1 },
  // C2: the reply 20 min 10 s after the contact (1,210 s), the handoff, two agent messages (the first 120 s after the handoff), closed with a human.
  { hour: at('11:00:00').toISOString(), channel: 'webchat', flow_id: t.support, ...zero, messages_out: 3, handoffs: 1, closed: 1, first_response_ms_sum: 1_210_000, first_response_count: 1, time_to_human_ms_sum: 120_000, time_to_human_count: 1, prompt_tokens: 50, completion_tokens: 10, cost_usd: 0.0005, csat_responses: 1, csat_score_sum: 1 },
  // C3: started, one message each way, a 5 s first response, a failed send and a failed turn.
  { hour: at('11:00:00').toISOString(), channel: 'whatsapp', flow_id: t.sales, ...zero, conversations: 1, messages_in: 1, messages_out: 1, first_response_ms_sum: 5_000, first_response_count: 1, errors: 2, csat_responses: 2, csat_score_sum: 7, csat_satisfied: 1 },
  // The failed run, counted on the api channel.
  { hour: at('11:00:00').toISOString(), channel: 'api', flow_id: t.sales, ...zero, errors: 1 },
];

/** The tenant's rollup rows, numbers as numbers, in a stable order. */
export async function rollupRows(orm: Orm, tenantId: string) {
  const rows = await systemEm(orm).getConnection().execute(`select * from analytics_hourly where tenant_id = ? order by hour, channel, flow_id`, [tenantId]);
  return rows.map(({ tenant_id: _t, hour, channel, flow_id, ...r }) => ({
    hour: new Date(hour as string).toISOString(),
    channel: String(channel),
    flow_id: String(flow_id),
    ...(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as Record<string, number>),
  }));
}
