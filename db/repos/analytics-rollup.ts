/**
 * The analytics rollup: rewrites `analytics_hourly` (tenant × UTC hour × channel × flow) for a range
 * of hours from the source tables — conversations, messages and the stored events (events/sink.ts).
 * Each figure belongs to the hour of the row that completes it (a first response to the reply's
 * hour, a time to human to the agent's message), so a late row changes only its own hour and the
 * recent-window job (worker/analytics.ts) picks it up. Test conversations ("Try it") are left out.
 * Raw SQL is not covered by the tenant filter: every statement names `tenant_id` itself.
 */
import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CSAT_SATISFIED_MIN } from '../../core/csat';

export const ROLLUP_COLUMNS = [
  'conversations',
  'messages_in',
  'messages_out',
  'handoffs',
  'closed',
  'closed_without_human',
  'first_response_ms_sum',
  'first_response_count',
  'time_to_human_ms_sum',
  'time_to_human_count',
  'prompt_tokens',
  'completion_tokens',
  'cost_usd',
  'errors',
  'csat_responses',
  'csat_score_sum',
  'csat_satisfied',
] as const;

/** Every metric column zero but the ones given: the union below adds the parts up. */
const cols = (given: Partial<Record<(typeof ROLLUP_COLUMNS)[number], string>>) => ROLLUP_COLUMNS.map((c) => `${given[c] ?? '0'} as ${c}`).join(', ');

export const HOUR = (column: string) => `date_trunc('hour', ${column}, 'UTC')`;
const MS = (interval: string) => `(extract(epoch from ${interval}) * 1000)::bigint`;
/** An event's conversation, joined only when the id is one (events are platform-written, but jsonb is jsonb). */
export const EVENT_CONVERSATION = `join conversations c on c.tenant_id = e.tenant_id and c.id::text = e.data->>'conversationId' and not c.is_test`;

// Placeholders: :from and :to (the hour range [from, to)), :tenant (an id, or null for every tenant).
export const IN_RANGE = (column: string) => `${column} >= :from and ${column} < :to`;
export const TENANT = (alias: string) => `(:tenant::uuid is null or ${alias}.tenant_id = :tenant::uuid)`;

const PARTS = [
  // Conversations started, by their first row.
  `select c.tenant_id, ${HOUR('c.created_at')} as hour, c.channel, c.flow_id, ${cols({ conversations: '1' })}
     from conversations c where not c.is_test and ${IN_RANGE('c.created_at')} and ${TENANT('c')}`,
  // Messages in and out, the model's tokens and cost on them, and sends that failed.
  `select m.tenant_id, ${HOUR('m.created_at')}, c.channel, c.flow_id, ${cols({
    messages_in: `(m.direction = 'in')::int`,
    messages_out: `(m.direction = 'out')::int`,
    prompt_tokens: 'm.prompt_tokens',
    completion_tokens: 'm.completion_tokens',
    cost_usd: 'm.cost_usd',
    errors: `(m.status = 'failed')::int`,
  })}
     from messages m join conversations c on c.id = m.conversation_id and not c.is_test
    where ${IN_RANGE('m.created_at')} and ${TENANT('m')}`,
  // Handoffs requested in a conversation (an automation run's handoff has no conversation).
  `select e.tenant_id, ${HOUR('e.created_at')}, c.channel, c.flow_id, ${cols({ handoffs: '1' })}
     from events e ${EVENT_CONVERSATION}
    where e.type = 'handoff.requested' and ${IN_RANGE('e.created_at')} and ${TENANT('e')}`,
  // Closes; without a human = no handoff and no agent message before the close.
  `select e.tenant_id, ${HOUR('e.created_at')}, c.channel, c.flow_id, ${cols({
    closed: '1',
    closed_without_human: `(not exists (select 1 from events h where h.tenant_id = e.tenant_id and h.data->>'conversationId' = e.data->>'conversationId'
                                         and h.type = 'handoff.requested' and h.created_at <= e.created_at)
                            and not exists (select 1 from messages a where a.conversation_id = c.id and a.author = 'agent' and a.created_at <= e.created_at))::int`,
  })}
     from events e ${EVENT_CONVERSATION}
    where e.type = 'conversation.closed' and ${IN_RANGE('e.created_at')} and ${TENANT('e')}`,
  // Time to first response: the contact's first message to the first bot or agent reply after it, in the reply's hour.
  `select c.tenant_id, ${HOUR('r.reply_at')}, c.channel, c.flow_id, ${cols({ first_response_ms_sum: MS('r.reply_at - f.first_in'), first_response_count: '1' })}
     from conversations c
     cross join lateral (select min(m.created_at) as first_in from messages m where m.conversation_id = c.id and m.direction = 'in') f
     cross join lateral (select min(m.created_at) as reply_at from messages m
                          where m.conversation_id = c.id and m.direction = 'out' and m.author in ('bot', 'agent') and m.created_at > f.first_in) r
    where not c.is_test and ${TENANT('c')} and ${IN_RANGE('r.reply_at')}
      and c.id in (select m.conversation_id from messages m where m.direction = 'out' and ${IN_RANGE('m.created_at')} and ${TENANT('m')})`,
  // Time to human: a handoff to the first agent message after it, in that message's hour.
  `select a.tenant_id, ${HOUR('a.created_at')}, c.channel, c.flow_id, ${cols({ time_to_human_ms_sum: MS('a.created_at - h.requested_at'), time_to_human_count: '1' })}
     from messages a
     join conversations c on c.id = a.conversation_id and not c.is_test
     cross join lateral (select max(e.created_at) as requested_at from events e
                          where e.tenant_id = a.tenant_id and e.data->>'conversationId' = a.conversation_id::text
                            and e.type = 'handoff.requested' and e.created_at <= a.created_at) h
    where a.author = 'agent' and ${IN_RANGE('a.created_at')} and ${TENANT('a')} and h.requested_at is not null
      and not exists (select 1 from messages p where p.conversation_id = a.conversation_id and p.author = 'agent'
                         and p.created_at >= h.requested_at and (p.created_at, p.id) < (a.created_at, a.id))`,
  // Failed conversation turns (flow.failed) and failed automation runs (run.failed: on the api channel, where runs start).
  `select e.tenant_id, ${HOUR('e.created_at')}, c.channel, c.flow_id, ${cols({ errors: '1' })}
     from events e ${EVENT_CONVERSATION}
    where e.type = 'flow.failed' and ${IN_RANGE('e.created_at')} and ${TENANT('e')}`,
  `select e.tenant_id, ${HOUR('e.created_at')}, 'api', f.id, ${cols({ errors: '1' })}
     from events e join flows f on f.tenant_id = e.tenant_id and f.id::text = e.data->>'flowId'
    where e.type = 'run.failed' and ${IN_RANGE('e.created_at')} and ${TENANT('e')}`,
  // CSAT ratings (csat_responses, scores 1–5 whatever the scale), in the hour they were given; satisfied = 4 or 5.
  `select r.tenant_id, ${HOUR('r.created_at')}, c.channel, c.flow_id, ${cols({ csat_responses: '1', csat_score_sum: 'r.score', csat_satisfied: `(r.score >= ${CSAT_SATISFIED_MIN})::int` })}
     from csat_responses r join conversations c on c.id = r.conversation_id and not c.is_test
    where ${IN_RANGE('r.created_at')} and ${TENANT('r')}`,
];

export interface RollupRange {
  /** Inclusive; rounded down to the hour. */
  from: Date;
  /** Exclusive; rounded up to the hour. */
  to: Date;
  /** One tenant, or every tenant when absent. */
  tenantId?: string;
}

export const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
export const ceilHour = (d: Date) => new Date(Math.ceil(d.getTime() / 3_600_000) * 3_600_000);

/**
 * Rewrites the rollup rows of the range in one transaction: delete, then insert what the source
 * tables say now. Running it twice changes nothing; a transaction-level advisory lock makes two
 * runners (the job and a backfill) take turns instead of inserting the same keys.
 */
export async function rollupHours(em: EntityManager, range: RollupRange): Promise<{ from: Date; to: Date; rows: number }> {
  const from = floorHour(range.from);
  const to = ceilHour(range.to);
  const values = { from: from.toISOString(), to: to.toISOString(), tenant: range.tenantId ?? null };
  const sums = ROLLUP_COLUMNS.map((c) => `sum(${c})`).join(', ');
  const rows = await em.transactional(async (tx) => {
    const run = (sql: string) => {
      const [text, params] = positional(sql, values);
      return tx.getConnection().execute<QueryResult>(text, params, 'run', tx.getTransactionContext());
    };
    await run(`select pg_advisory_xact_lock(hashtext('analytics_rollup'))`);
    await run(`delete from analytics_hourly h where ${IN_RANGE('h.hour')} and ${TENANT('h')}`);
    const inserted = await run(
      `insert into analytics_hourly (tenant_id, hour, channel, flow_id, ${ROLLUP_COLUMNS.join(', ')})
       select tenant_id, hour, channel, flow_id, ${sums} from (${PARTS.join('\n union all\n')}) parts
        group by tenant_id, hour, channel, flow_id`,
    );
    return inserted.affectedRows;
  });
  return { from, to, rows };
}

/** `:name` placeholders (not `::casts`) to the driver's positional `?`, with their values in order. */
export function positional(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const params: unknown[] = [];
  const text = sql.replace(/(?<!:):(from|to|tenant)\b/g, (_m, name: string) => {
    params.push(values[name]);
    return '?';
  });
  return [text, params];
}

/** The first hour with anything to roll up (of one tenant, or of all), for a backfill from the start. */
export async function firstActivity(em: EntityManager, tenantId?: string): Promise<Date | null> {
  const [text, params] = positional(
    `select least((select min(created_at) from conversations c where ${TENANT('c')}), (select min(created_at) from events e where ${TENANT('e')})) as first`,
    { tenant: tenantId ?? null },
  );
  const [row] = await em.getConnection().execute<{ first: Date | string | null }[]>(text, params);
  return row?.first ? new Date(row.first) : null;
}
