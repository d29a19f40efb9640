/**
 * Share links and public-grader leads of presence audits. Raw SQL bound to the tenant the
 * EntityManager is scoped to (`scopedTenant`), except `shareLinkById`, which the public share
 * route calls with the system EntityManager: the token's HMAC is checked before the row is trusted.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PresenceScheduleSettings } from '../../core/presence-surface';
import { scopedTenant } from './audience';

export interface ShareLinkRow {
  id: string;
  tenantId: string;
  auditId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const LINK = `id, tenant_id as "tenantId", audit_id as "auditId", created_at as "createdAt", revoked_at as "revokedAt"`;

export async function createShareLink(em: EntityManager, auditId: string, createdBy: string | null): Promise<ShareLinkRow> {
  const [row] = await em.getConnection().execute<ShareLinkRow[]>(
    `insert into presence_share_links (tenant_id, audit_id, created_by) values (?, ?, ?) returning ${LINK}`,
    [scopedTenant(em), auditId, createdBy],
  );
  return row;
}

export function listShareLinks(em: EntityManager, auditId: string): Promise<ShareLinkRow[]> {
  return em.getConnection().execute<ShareLinkRow[]>(`select ${LINK} from presence_share_links where tenant_id = ? and audit_id = ? order by created_at desc`, [scopedTenant(em), auditId]);
}

/** Revokes the tenant's link; false when it is not the tenant's. Revoking twice keeps the first time. */
export async function revokeShareLink(em: EntityManager, id: string): Promise<boolean> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `update presence_share_links set revoked_at = coalesce(revoked_at, now()) where id = ? and tenant_id = ? returning id`,
    [id, scopedTenant(em)],
  );
  return rows.length > 0;
}

/** Any tenant's link by id (the public route, after the token's signature matched). */
export async function shareLinkById(em: EntityManager, id: string): Promise<ShareLinkRow | null> {
  const [row] = await em.getConnection().execute<ShareLinkRow[]>(`select ${LINK} from presence_share_links where id = ?`, [id]);
  return row ?? null;
}

export type LeadStatus = 'auditing' | 'mailing' | 'mailed' | 'failed';

export interface LeadRow {
  id: string;
  auditId: string;
  contactId: string | null;
  siteHost: string;
  status: LeadStatus;
  detail: string | null;
  createdAt: Date;
  mailedAt: Date | null;
}

const LEAD = `id, audit_id as "auditId", contact_id as "contactId", site_host as "siteHost", status, detail, created_at as "createdAt", mailed_at as "mailedAt"`;

export async function createLead(em: EntityManager, lead: { auditId: string; contactId: string; siteHost: string }): Promise<LeadRow> {
  const [row] = await em.getConnection().execute<LeadRow[]>(
    `insert into presence_leads (tenant_id, audit_id, contact_id, site_host) values (?, ?, ?, ?) returning ${LEAD}`,
    [scopedTenant(em), lead.auditId, lead.contactId, lead.siteHost],
  );
  return row;
}

export async function getLead(em: EntityManager, id: string): Promise<LeadRow | null> {
  const [row] = await em.getConnection().execute<LeadRow[]>(`select ${LEAD} from presence_leads where id = ? and tenant_id = ?`, [id, scopedTenant(em)]);
  return row ?? null;
}

/** Takes the lead for mailing: true for exactly one caller (a second poll, a second API replica get false). */
export async function claimLeadMail(em: EntityManager, id: string): Promise<boolean> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `update presence_leads set status = 'mailing' where id = ? and tenant_id = ? and status = 'auditing' returning id`,
    [id, scopedTenant(em)],
  );
  return rows.length > 0;
}

export async function finishLead(em: EntityManager, id: string, status: 'mailed' | 'failed' | 'auditing', detail: string | null): Promise<void> {
  await em.getConnection().execute(
    `update presence_leads set status = ?, detail = ?, mailed_at = case when ? = 'mailed' then now() else mailed_at end where id = ? and tenant_id = ?`,
    [status, detail, status, id, scopedTenant(em)],
  );
}

export function listLeads(em: EntityManager, limit: number): Promise<LeadRow[]> {
  return em.getConnection().execute<LeadRow[]>(`select ${LEAD} from presence_leads where tenant_id = ? order by created_at desc limit ?`, [scopedTenant(em), limit]);
}

/** The audit a scheduled run made (its `created_by` is the run's key), so a retried activity finds it instead of making a second. */
export async function auditByCreator(em: EntityManager, createdBy: string): Promise<string | null> {
  const [row] = await em.getConnection().execute<{ id: string }[]>(`select id from presence_audits where tenant_id = ? and created_by = ? limit 1`, [scopedTenant(em), createdBy]);
  return row?.id ?? null;
}

/** Every tenant with a re-audit setting, for the worker's start (its Schedule brought in line). Runs on the system EntityManager. */
export async function tenantsWithPresenceSchedule(em: EntityManager): Promise<{ id: string; schedule: PresenceScheduleSettings; timezone: string }[]> {
  const rows = await em.getConnection().execute<{ id: string; schedule: PresenceScheduleSettings; timezone: string | null }[]>(
    `select id, settings->'presenceSchedule' as schedule, settings->>'timezone' as timezone from tenants where settings->'presenceSchedule' is not null`,
  );
  return rows.map((r) => ({ id: r.id, schedule: r.schedule, timezone: r.timezone ?? 'UTC' }));
}
