/**
 * What the public link routes need: the recipient a signed token names (the token is the
 * credential, so the lookup is by id across tenants and the tenant comes from the row), its
 * campaign content, and the click / unsubscribe it records.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignChannel, VariantContent } from '../../core/campaigns';

export interface LinkRecipient {
  id: string;
  tenantId: string;
  campaignId: string;
  contactId: string;
  channel: CampaignChannel | null;
  content: VariantContent | null;
  campaignName: string;
}

/** `em` is unscoped (systemEm): the verified token is the only credential. */
export async function linkRecipient(em: EntityManager, recipientId: string): Promise<LinkRecipient | null> {
  const [row] = await em.getConnection().execute<LinkRecipient[]>(
    `select r.id, r.tenant_id as "tenantId", r.campaign_id as "campaignId", r.contact_id as "contactId", r.channel, c.name as "campaignName",
            (select v->'content' from jsonb_array_elements(c.variants) v where v->>'id' = coalesce(r.variant, c.winner_variant, 'A') limit 1) as content
       from campaign_recipients r join campaigns c on c.id = r.campaign_id where r.id = ?`,
    [recipientId],
  );
  return row ?? null;
}

export async function recordClick(em: EntityManager, r: LinkRecipient, url: string, userAgent: string | null): Promise<void> {
  await em.getConnection().execute(`insert into campaign_link_clicks (tenant_id, campaign_id, recipient_id, url, user_agent) values (?, ?, ?, ?, ?)`, [r.tenantId, r.campaignId, r.id, url, userAgent?.slice(0, 500) ?? null]);
  await em.getConnection().execute(`update campaign_recipients set clicked_at = coalesce(clicked_at, now()) where id = ?`, [r.id]);
}

export async function markRecipientOptedOut(em: EntityManager, recipientId: string): Promise<void> {
  await em.getConnection().execute(`update campaign_recipients set opted_out_at = coalesce(opted_out_at, now()) where id = ?`, [recipientId]);
}
