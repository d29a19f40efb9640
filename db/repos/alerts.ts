/**
 * Alert rules and their firings. A metric's value is read from the source tables over the rule's
 * window (minutes, not the rollups' hours): conversations and handoff events, failed outbound
 * messages (test conversations left out, as in analytics), dead webhook deliveries, LLM call costs
 * (test conversations included: their cost is real) — each statement names `tenant_id` and uses an
 * index on (tenant, time). A rule has at most one open firing (a partial unique index), so two
 * evaluations racing cannot open two.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AlertMetric, AlertTransition } from '../../core/reports';
import { AlertEvent, AlertRule } from '../entities';

export interface MetricScope {
  tenantId: string;
  metric: AlertMetric;
  windowMinutes: number;
  channel?: string | null;
  flowId?: string | null;
}

/** `and c.channel = ? and c.flow_id = ?` for the scope's parts that are set. */
function conversationScope(s: MetricScope): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (s.channel) parts.push(' and c.channel = ?') && params.push(s.channel);
  if (s.flowId) parts.push(' and c.flow_id = ?') && params.push(s.flowId);
  return { sql: parts.join(''), params };
}

/** The metric's value over the last `windowMinutes` before `now`; null when a rate has nothing to divide by. */
export async function alertMetricValue(em: EntityManager, s: MetricScope, now: Date): Promise<number | null> {
  const conn = em.getConnection();
  const since = new Date(now.getTime() - s.windowMinutes * 60_000);
  const scope = conversationScope(s);
  if (s.metric === 'handoff_rate') {
    const [row] = await conn.execute(
      `select (select count(*) from conversations c where c.tenant_id = ? and not c.is_test and c.created_at > ? and c.created_at <= ?${scope.sql}) as conversations,
              (select count(distinct c.id) from events e join conversations c on c.id::text = e.data->>'conversationId' and c.tenant_id = e.tenant_id
                where e.tenant_id = ? and e.type = 'handoff.requested' and not c.is_test and e.created_at > ? and e.created_at <= ?${scope.sql}) as handoffs`,
      [s.tenantId, since, now, ...scope.params, s.tenantId, since, now, ...scope.params],
    );
    const conversations = Number(row?.conversations ?? 0);
    return conversations > 0 ? Math.round((Number(row?.handoffs ?? 0) / conversations) * 10_000) / 10_000 : null;
  }
  if (s.metric === 'failed_sends') {
    const [row] = await conn.execute(
      `select count(*) as n from messages m join conversations c on c.id = m.conversation_id
        where m.tenant_id = ? and m.direction = 'out' and m.status = 'failed' and not c.is_test and m.created_at > ? and m.created_at <= ?${scope.sql}`,
      [s.tenantId, since, now, ...scope.params],
    );
    return Number(row?.n ?? 0);
  }
  if (s.metric === 'webhook_failures') {
    // Deliveries are not about a channel or flow: the scope does not apply.
    const [row] = await conn.execute(`select count(*) as n from webhook_deliveries where tenant_id = ? and status = 'dead' and completed_at > ? and completed_at <= ?`, [s.tenantId, since, now]);
    return Number(row?.n ?? 0);
  }
  const scoped = s.channel || s.flowId;
  const [row] = await conn.execute(
    `select coalesce(sum(l.cost_usd), 0) as cost from llm_calls l ${scoped ? 'join conversations c on c.id = l.conversation_id' : ''}
      where l.tenant_id = ? and l.created_at > ? and l.created_at <= ?${scope.sql}`,
    [s.tenantId, since, now, ...scope.params],
  );
  return Math.round(Number(row?.cost ?? 0) * 1e6) / 1e6;
}

/** Tenants with at least one enabled rule: what an evaluation visits. */
export async function tenantsWithAlertRules(em: EntityManager): Promise<string[]> {
  const rows = await em.getConnection().execute<{ tenant_id: string }[]>(`select distinct tenant_id from alert_rules where enabled order by tenant_id`);
  return rows.map((r) => r.tenant_id);
}

export const listAlertRules = (em: EntityManager, tenantId: string) => em.find(AlertRule, { tenant: tenantId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
export const getAlertRule = (em: EntityManager, tenantId: string, id: string) => em.findOne(AlertRule, { tenant: tenantId, id });
export const getAlertEvent = (em: EntityManager, tenantId: string, id: string) => em.findOne(AlertEvent, { tenant: tenantId, id });

export const openFiring = (em: EntityManager, tenantId: string, ruleId: string) => em.findOne(AlertEvent, { tenant: tenantId, rule: ruleId, status: 'firing' });

/** When the rule last fired (its cooldown counts from there). */
export async function lastFiredAt(em: EntityManager, tenantId: string, ruleId: string): Promise<Date | null> {
  const [row] = await em.getConnection().execute<{ at: Date | null }[]>(`select max(fired_at) as at from alert_events where tenant_id = ? and rule_id = ?`, [tenantId, ruleId]);
  return row?.at ? new Date(row.at) : null;
}

/** Opens a firing; null when another evaluation opened one first. */
export async function openAlertEvent(em: EntityManager, e: { tenantId: string; ruleId: string; value: number; threshold: number }): Promise<string | null> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `insert into alert_events (tenant_id, rule_id, value, threshold, last_value) values (?, ?, ?, ?, ?) on conflict (rule_id) where status = 'firing' do nothing returning id`,
    [e.tenantId, e.ruleId, e.value, e.threshold, e.value],
  );
  return rows[0]?.id ?? null;
}

export async function noteFiringValue(em: EntityManager, tenantId: string, eventId: string, value: number | null): Promise<void> {
  await em.getConnection().execute(`update alert_events set last_value = ? where tenant_id = ? and id = ?`, [value, tenantId, eventId]);
}

/** Resolves an open firing; false when it was resolved already. */
export async function resolveAlertEvent(em: EntityManager, tenantId: string, eventId: string, value: number | null): Promise<boolean> {
  const rows = await em.getConnection().execute(
    `update alert_events set status = 'resolved', resolved_at = now(), resolved_value = ?, last_value = ? where tenant_id = ? and id = ? and status = 'firing' returning id`,
    [value, value, tenantId, eventId],
  );
  return rows.length > 0;
}

/** Records that one destination of a transition was notified (or why not), without touching the others. */
export async function markAlertNotified(em: EntityManager, tenantId: string, eventId: string, transition: AlertTransition, patch: Record<string, string>): Promise<void> {
  await em.getConnection().execute(
    `update alert_events set notified = jsonb_set(notified, array[?::text], coalesce(notified->?::text, '{}'::jsonb) || ?::jsonb) where tenant_id = ? and id = ?`,
    [transition, transition, JSON.stringify(patch), tenantId, eventId],
  );
}

export async function listAlertEvents(em: EntityManager, tenantId: string, opts: { ruleId?: string; limit: number }) {
  return em.find(AlertEvent, { tenant: tenantId, ...(opts.ruleId ? { rule: opts.ruleId } : {}) }, { orderBy: { firedAt: 'desc', id: 'desc' }, limit: opts.limit });
}
