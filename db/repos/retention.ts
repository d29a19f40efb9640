/**
 * The retention workflow's database work: which tenants have a policy, one bounded batch of
 * deletions of one kind past its cutoff, and the run's audit entry. Every statement is a
 * re-query (`delete … where id in (select … limit n)`), so a batch retried after a crash deletes
 * what is still there and nothing twice; counts come from the rows each statement removed.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditChange } from '../../core/audit';
import { uuidFromSeed } from '../../core/ids';
import { hasRetention, RETENTION_KINDS, type RetentionCounts, type RetentionKind, type RetentionPolicy, type RetentionTenant } from '../../core/retention';

/**
 * A conversation is "active" while it is open and had a message since the cutoff: none of its
 * messages or files are touched, however old, so a long conversation keeps its context.
 */
const AGED_CONVERSATION = `(c.status = 'closed' or c.last_message_at < ?)`;

/** How long recorded provider webhooks stay whatever the policy: they are what makes a redelivery a duplicate. */
export const INBOUND_DEDUPE_DAYS = 7;

interface Step {
  /** The table the count is reported under. */
  table: string;
  /** Deletes at most `limit` rows; placeholders: tenant, cutoff, [cutoff,] limit (see `params`). */
  sql: string;
  params(tenantId: string, cutoff: string, limit: number): unknown[];
}

const plain = (tenantId: string, cutoff: string, limit: number) => [tenantId, cutoff, limit];
const withAged = (tenantId: string, cutoff: string, limit: number) => [tenantId, cutoff, cutoff, limit];

/** One kind, its statements in order (a later one may depend on an earlier one having emptied a table). */
const STEPS: Record<RetentionKind, Step[]> = {
  messages: [
    {
      table: 'messages',
      sql: `delete from messages where id in (
              select m.id from messages m join conversations c on c.id = m.conversation_id
               where m.tenant_id = ? and m.created_at < ? and ${AGED_CONVERSATION} limit ?)`,
      params: withAged,
    },
    {
      // A closed conversation past the cutoff with no message left goes too: its variables may hold personal data.
      table: 'conversations',
      sql: `delete from conversations where id in (
              select c.id from conversations c
               where c.tenant_id = ? and c.status = 'closed' and c.last_message_at < ?
                 and not exists (select 1 from messages m where m.conversation_id = c.id) limit ?)`,
      params: plain,
    },
    {
      // Provider webhooks as recorded (raw payloads with the message in them), once dispatched or
      // failed. A week at least: a provider redelivering an old webhook must still find its row,
      // or the message would be stored twice.
      table: 'inbound_messages',
      sql: `delete from inbound_messages where id in (
              select i.id from inbound_messages i
               where i.tenant_id = ? and i.created_at < least(?::timestamptz, now() - interval '${INBOUND_DEDUPE_DAYS} days') and i.status <> 'pending' limit ?)`,
      params: plain,
    },
  ],
  media: [
    {
      table: 'media_assets',
      sql: `delete from media_assets where id in (
              select a.id from media_assets a left join conversations c on c.id = a.conversation_id
               where a.tenant_id = ? and a.created_at < ? and (c.id is null or ${AGED_CONVERSATION}) limit ?)`,
      params: withAged,
    },
  ],
  documents: [
    {
      // By last update; chunks and sources go with the document (on delete cascade), so retrieval no longer finds it.
      // A document being ingested is left for the next run.
      table: 'documents',
      sql: `delete from documents where id in (
              select d.id from documents d where d.tenant_id = ? and d.updated_at < ? and d.status in ('ready', 'failed') limit ?)`,
      params: plain,
    },
  ],
  events: [
    {
      table: 'events',
      sql: `delete from events where id in (select e.id from events e where e.tenant_id = ? and e.created_at < ? limit ?)`,
      params: plain,
    },
    {
      // Delivery logs (attempts cascade); a delivery still pending or being delivered is never cut short.
      table: 'webhook_deliveries',
      sql: `delete from webhook_deliveries where id in (
              select d.id from webhook_deliveries d where d.tenant_id = ? and d.created_at < ? and d.status in ('succeeded', 'dead') limit ?)`,
      params: plain,
    },
  ],
};

/** The tables a kind reports counts under (the console and the audit entry list them). */
export const retentionTables = (kind: RetentionKind) => STEPS[kind].map((s) => s.table);

/** Tenants with at least one retention setting (only `tenantIds` when given). */
export async function retentionTenants(em: EntityManager, tenantIds?: string[]): Promise<RetentionTenant[]> {
  const rows: { id: string; policy: RetentionPolicy }[] = await em
    .getConnection()
    .execute(
      `select id, settings->'retention' as policy from tenants where settings->'retention' is not null${tenantIds ? ` and id = any(?::uuid[])` : ''} order by id`,
      tenantIds ? [`{${tenantIds.join(',')}}`] : [],
    );
  return rows.filter((r) => hasRetention(r.policy)).map((r) => ({ tenantId: r.id, policy: Object.fromEntries(RETENTION_KINDS.map((k) => [k, r.policy[k] ?? null])) }));
}

/** Deletes up to `limit` rows of one kind older than `cutoff`; `more` when the limit was reached. */
export async function deleteExpiredBatch(em: EntityManager, input: { tenantId: string; kind: RetentionKind; cutoff: string; limit: number }): Promise<{ counts: RetentionCounts; more: boolean }> {
  const counts: RetentionCounts = {};
  let left = input.limit;
  for (const step of STEPS[input.kind]) {
    const res = await em.getConnection().execute<{ affectedRows: number }>(step.sql, step.params(input.tenantId, input.cutoff, left), 'run');
    counts[step.table] = res.affectedRows;
    left -= res.affectedRows;
    if (left <= 0) return { counts, more: true };
  }
  return { counts, more: false };
}

/**
 * The run's audit entry for one tenant: what its policy was and what was deleted, per table.
 * Its id is derived from the run (`runKey`) and the tenant, so a retried activity writes it once.
 */
export async function recordRetentionRun(em: EntityManager, input: { tenantId: string; runKey: string; asOf: string; policy: RetentionPolicy; counts: RetentionCounts }): Promise<void> {
  const changes: AuditChange[] = [
    ...RETENTION_KINDS.map((k) => ({ path: `policy.${k}`, after: input.policy[k] ?? null })),
    ...Object.entries(input.counts).map(([table, n]) => ({ path: `deleted.${table}`, after: n })),
  ];
  await em.getConnection().execute(
    `insert into audit_log (id, tenant_id, actor_kind, actor_label, role, action, method, route, path, target_type, target_id, status_code, changes, ip, created_at)
     values (?, ?, 'system', 'retention', 'system', 'retention.run', 'SCHEDULE', 'retention', ?, 'retention', ?, 200, ?::jsonb, '', now())
     on conflict (id) do nothing`,
    [uuidFromSeed(`${input.runKey}:${input.tenantId}`), input.tenantId, `retention as of ${input.asOf}`, input.tenantId, JSON.stringify(changes)],
    'run',
  );
}
