/**
 * Quotas in PostgreSQL: the operator's overrides per tenant, the usage of each period (written from
 * Redis by the worker, read back to seed Redis after a restart), the 80 %/100 % notices already sent,
 * and the bytes a tenant stores (documents and media), counted where they are.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditChange } from '../../core/audit';
import { QUOTAS, type QuotaOverrides } from '../../core/quotas';
import { appendAuditEntry } from './audit';

// Inside a transaction (changeQuotaOverrides) the statement joins it.
const run = <T>(em: EntityManager, sql: string, params: unknown[] = []) => em.getConnection().execute(sql, params, 'all', em.getTransactionContext()) as Promise<T>;

export async function quotaOverrides(em: EntityManager, tenantId: string): Promise<QuotaOverrides> {
  const [row] = await run<{ limits: Record<string, unknown> }[]>(em, `select limits from tenant_quotas where tenant_id = ?`, [tenantId]);
  const out: QuotaOverrides = {};
  for (const q of QUOTAS) if (typeof row?.limits[q] === 'number') out[q] = row.limits[q] as number;
  return out;
}

/** Sets (a number) or clears (null: back to the default) each quota given; returns the overrides after. */
export async function setQuotaOverrides(em: EntityManager, tenantId: string, changes: Partial<Record<string, number | null>>, by: string): Promise<QuotaOverrides> {
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== null));
  const cleared = Object.entries(changes).filter(([, v]) => v === null).map(([k]) => k);
  await run(
    em,
    `insert into tenant_quotas (tenant_id, limits, updated_by) values (?, ?::jsonb, ?)
     on conflict (tenant_id) do update set limits = (tenant_quotas.limits - ?::text[]) || excluded.limits, updated_by = excluded.updated_by, updated_at = now()`,
    [tenantId, JSON.stringify(set), by, `{${cleared.filter((k) => (QUOTAS as readonly string[]).includes(k)).join(',')}}`],
  );
  return quotaOverrides(em, tenantId);
}

/** Who changed a tenant's limits, as the audit entry names them. */
export interface OperatorActor {
  label: string;
  method: string;
  route: string;
  path: string;
  ip: string;
  userAgent: string | null;
}

/** The operator's change (API or command line) with its audit entry in the tenant's log, in one transaction. */
export async function changeQuotaOverrides(em: EntityManager, tenantId: string, changes: Partial<Record<string, number | null>>, actor: OperatorActor): Promise<QuotaOverrides> {
  return em.transactional(async (tx) => {
    const before = await quotaOverrides(tx, tenantId);
    const after = await setQuotaOverrides(tx, tenantId, changes, actor.label);
    await appendAuditEntry(tx, {
      tenantId,
      actorKind: 'operator',
      actorLabel: actor.label,
      userId: null,
      role: 'operator',
      scope: null,
      action: 'quota.update',
      method: actor.method,
      route: actor.route,
      path: actor.path,
      targetType: 'quota',
      targetId: tenantId,
      statusCode: 200,
      changes: limitChanges(before, after),
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return after;
  });
}

/**
 * The audit entry's changes, one per quota whose limit changed. Written out here rather than by the
 * generic diff: a limit is no secret, but `llm_tokens_per_month` has "token" in its name, which the
 * audit log's redaction would hide.
 */
function limitChanges(before: QuotaOverrides, after: QuotaOverrides): AuditChange[] {
  return QUOTAS.filter((q) => before[q] !== after[q]).map((q) => ({ path: q, ...(before[q] !== undefined && { before: before[q] }), ...(after[q] !== undefined && { after: after[q] }) }));
}

/** Usage kept for one period; 0 when none was written. */
export async function storedUsage(em: EntityManager, tenantId: string, quota: string, period: string): Promise<number> {
  const [row] = await run<{ used: string }[]>(em, `select used from quota_usage where tenant_id = ? and quota = ? and period = ?`, [tenantId, quota, period]);
  return row ? Number(row.used) : 0;
}

/**
 * Writes counters read from Redis; a lower value never replaces a higher one (a counter re-seeded
 * after a restart catches up). A counter of a tenant that is gone (deleted since) is dropped, so it
 * cannot fail the batch for every other tenant.
 */
export async function saveUsage(em: EntityManager, rows: { tenantId: string; quota: string; period: string; used: number }[]): Promise<void> {
  if (!rows.length) return;
  await run(
    em,
    `insert into quota_usage (tenant_id, quota, period, used)
     select r.tenant_id, r.quota, r.period, r.used from jsonb_to_recordset(?::jsonb) as r(tenant_id uuid, quota text, period text, used bigint)
     join tenants t on t.id = r.tenant_id
     on conflict (tenant_id, quota, period) do update set used = greatest(quota_usage.used, excluded.used), updated_at = now()`,
    [JSON.stringify(rows.map((r) => ({ tenant_id: r.tenantId, quota: r.quota, period: r.period, used: Math.max(0, Math.round(r.used)) })))],
  );
}

/** Records a notice as sent; false when this period's notice of that level went out already. */
export async function claimQuotaNotice(em: EntityManager, n: { tenantId: string; quota: string; period: string; level: string; used: number; limit: number }): Promise<boolean> {
  const rows = await run<unknown[]>(
    em,
    `insert into quota_notices (tenant_id, quota, period, level, used, quota_limit)
     select id, ?, ?, ?, ?, ? from tenants where id = ? on conflict do nothing returning tenant_id`,
    [n.quota, n.period, n.level, n.used, n.limit, n.tenantId],
  );
  return rows.length > 0;
}

/** Bytes stored for the tenant: its documents' files and the media of its conversations. */
export async function storedBytes(em: EntityManager, tenantId: string): Promise<number> {
  const [row] = await run<{ bytes: string | null }[]>(
    em,
    `select (select coalesce(sum(byte_size), 0) from documents where tenant_id = ?) + (select coalesce(sum(byte_size), 0) from media_assets where tenant_id = ?) as bytes`,
    [tenantId, tenantId],
  );
  return Number(row?.bytes ?? 0);
}

/** A tenant by id or slug (the operator's command line names either). */
export async function findTenantId(em: EntityManager, idOrSlug: string): Promise<string | null> {
  const uuid = /^[0-9a-f-]{36}$/i.test(idOrSlug);
  const [row] = await run<{ id: string }[]>(em, uuid ? `select id from tenants where id = ?` : `select id from tenants where slug = ?`, [idOrSlug]);
  return row?.id ?? null;
}

/** The conversation's contact's locale (`pt-BR`…), for the quota notice's language; null when unknown. */
export async function conversationLocale(em: EntityManager, conversationId: string): Promise<string | null> {
  const [row] = await run<{ locale: string | null }[]>(em, `select ct.locale from conversations c join contacts ct on ct.id = c.contact_id where c.id = ?`, [conversationId]);
  return row?.locale ?? null;
}
