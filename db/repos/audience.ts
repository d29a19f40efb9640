/**
 * The border the campaign sender and the console count through: a segment's contacts in keyset
 * pages with their addresses and consent, the reachable counts, and opt-out / opt-in. Raw SQL (the
 * filter compiles to it), so the tenant is read from the tenant-scoped EntityManager and bound.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { CAMPAIGN_CHANNELS, type AudienceRow, type CampaignChannel, type ConsentMethod, type ConsentStatus, type SegmentFilter } from '../../core/campaigns';
import { TENANT_FILTER } from '../orm';
import { reachableSql, segmentSql } from './segment-sql';

export type { AudienceRow } from '../../core/campaigns';

/** The tenant an EntityManager from tenantEm() is scoped to; raw SQL binds it. */
export function scopedTenant(em: EntityManager): string {
  const tenantId = (em.getFilterParams(TENANT_FILTER) as { tenantId?: string } | undefined)?.tenantId;
  if (!tenantId) throw new Error(`raw audience queries need a tenant-scoped EntityManager: use tenantEm(orm, tenantId)`);
  return tenantId;
}

interface AudienceDbRow {
  id: string;
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  messenger_psid: string | null;
  timezone: string | null;
  locale: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  consent: Partial<Record<CampaignChannel, ConsentStatus>>;
}

/** Keyset pages in contact id order; `filter` as core/campaigns/segments.ts. */
export async function pageAudience(em: EntityManager, filter: SegmentFilter, opts: { afterContactId?: string; limit: number }): Promise<AudienceRow[]> {
  const where = segmentSql(filter);
  const rows = await em.getConnection().execute<AudienceDbRow[]>(
    `select c.id, c.name, c.first_name, c.last_name, c.email, c.phone, c.messenger_psid, c.timezone, c.locale, c.tags, c.attributes,
            coalesce((select jsonb_object_agg(cc.channel, cc.status) from contact_consents cc where cc.contact_id = c.id), '{}'::jsonb) as consent
       from contacts c
      where c.tenant_id = ? and c.id > ? and ${where.sql}
      order by c.id limit ?`,
    [scopedTenant(em), opts.afterContactId ?? '00000000-0000-0000-0000-000000000000', ...where.params, opts.limit],
  );
  return rows.map((r) => ({
    contactId: r.id,
    name: r.name,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    phone: r.phone,
    messengerPsid: r.messenger_psid,
    timezone: r.timezone,
    locale: r.locale,
    tags: r.tags ?? [],
    attributes: r.attributes ?? {},
    consent: r.consent ?? {},
  }));
}

export async function countAudience(em: EntityManager, filter: SegmentFilter): Promise<{ total: number; reachable: Record<CampaignChannel, number> }> {
  const where = segmentSql(filter);
  const reach = CAMPAIGN_CHANNELS.map(reachableSql);
  const [row] = await em.getConnection().execute<Record<string, string>[]>(
    `select count(*) as total, ${reach.map((r, i) => `count(*) filter (where ${r.sql}) as r${i}`).join(', ')}
       from contacts c where c.tenant_id = ? and ${where.sql}`,
    [...reach.flatMap((r) => r.params), scopedTenant(em), ...where.params],
  );
  const reachable = Object.fromEntries(CAMPAIGN_CHANNELS.map((channel, i) => [channel, Number(row?.[`r${i}`] ?? 0)])) as Record<CampaignChannel, number>;
  return { total: Number(row?.total ?? 0), reachable };
}

export interface ConsentChange {
  method: ConsentMethod;
  source?: string;
  at?: Date;
}

/** Sets the consent rows of a tenant's contact; rows already in `status` are left as they are (idempotent). */
async function setConsent(em: EntityManager, contactId: string, channels: readonly CampaignChannel[], status: ConsentStatus, how: ConsentChange): Promise<boolean> {
  const at = how.at ?? new Date();
  const column = status === 'opted_out' ? 'opted_out_at' : 'opted_in_at';
  const changed = await em.getConnection().execute<{ id: string }[]>(
    `insert into contact_consents (tenant_id, contact_id, channel, status, method, source, ${column}, updated_at)
     select c.tenant_id, c.id, ch, ?, ?, ?, ?, now() from contacts c, jsonb_array_elements_text(?::jsonb) as ch where c.id = ? and c.tenant_id = ?
     on conflict (contact_id, channel) do update
        set status = excluded.status, method = excluded.method, source = excluded.source, ${column} = excluded.${column}, updated_at = now()
      where contact_consents.status is distinct from excluded.status
     returning id`,
    [status, how.method, how.source ?? null, at, JSON.stringify(channels), contactId, scopedTenant(em)],
  );
  return changed.length > 0;
}

/** Idempotent; `channel: 'all'` opts out of every campaign channel. Emits nothing; returns whether anything changed. */
export function optOut(em: EntityManager, contactId: string, channel: CampaignChannel | 'all', how: ConsentChange): Promise<boolean> {
  return setConsent(em, contactId, channel === 'all' ? CAMPAIGN_CHANNELS : [channel], 'opted_out', how);
}

export function optIn(em: EntityManager, contactId: string, channel: CampaignChannel, how: ConsentChange): Promise<boolean> {
  return setConsent(em, contactId, [channel], 'opted_in', how);
}
