/**
 * The campaign sender's rows: recipients materialized from the audience, read when due, A/B
 * rates and reply attribution (a page's sends are written by campaign-sends.ts). Raw SQL with explicit tenant / campaign conditions
 * (the tenant filter does not cover raw SQL); `em` is tenant-scoped.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignChannel, RecipientStatus, SkipReason } from '../../core/campaigns';

export interface NewRecipient {
  contactId: string;
  channel: CampaignChannel | null;
  channelId: string | null;
  address: string | null;
  variant: string | null;
  status: Extract<RecipientStatus, 'pending' | 'held' | 'skipped'>;
  skipReason: SkipReason | null;
}

/** `campaign:contact:channel`: one send per contact, channel and campaign, whatever runs again. */
export const recipientKey = (campaignId: string, contactId: string, channel: CampaignChannel | null) => `campaign:${campaignId}:${contactId}:${channel ?? 'none'}`;

/** Inserts a page of recipients; rows already there (a retried page) stay as they are. */
export async function insertRecipients(em: EntityManager, tenantId: string, campaignId: string, rows: NewRecipient[]): Promise<void> {
  if (!rows.length) return;
  const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const params = rows.flatMap((r) => [randomUUID(), tenantId, campaignId, r.contactId, r.channel, r.channelId, r.address, r.variant, r.status, r.skipReason, recipientKey(campaignId, r.contactId, r.channel)]);
  await em.getConnection().execute(
    `insert into campaign_recipients (id, tenant_id, campaign_id, contact_id, channel, channel_id, address, variant, status, skip_reason, idempotency_key)
     values ${values} on conflict do nothing`,
    params,
  );
}

export interface DueRecipient {
  id: string;
  status: 'pending' | 'deferred';
  contactId: string;
  channel: CampaignChannel;
  channelId: string;
  address: string;
  variant: string;
  idempotencyKey: string;
  /** Opted out of this channel since materialization: skipped, never sent. */
  optedOut: boolean;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  attributes: Record<string, unknown>;
}

/**
 * Due now: pending, or deferred past their quiet hours. The page is any `limit` of them, taken
 * from the (campaign_id, status) index without sorting all of them (ordering every due row by id
 * cost 350 ms a page at 100,000 recipients), then read with its contact.
 */
export async function dueRecipients(em: EntityManager, campaignId: string, limit: number): Promise<DueRecipient[]> {
  return em.getConnection().execute<DueRecipient[]>(
    `with due as materialized (
       select id from campaign_recipients where campaign_id = ? and (status = 'pending' or (status = 'deferred' and send_after <= now())) limit ?)
     select r.id, r.status, r.contact_id as "contactId", r.channel, r.channel_id as "channelId", r.address, r.variant, r.idempotency_key as "idempotencyKey",
            exists (select 1 from contact_consents cc where cc.contact_id = r.contact_id and cc.channel = r.channel and cc.status = 'opted_out') as "optedOut",
            c.first_name as "firstName", c.last_name as "lastName", c.name, c.email, c.phone, c.timezone, c.attributes
       from due join campaign_recipients r on r.id = due.id join contacts c on c.id = r.contact_id
      order by r.id`,
    [campaignId, limit],
  );
}

/** The earliest deferred recipient's time, when none is due now. */
export async function nextDeferred(em: EntityManager, campaignId: string): Promise<Date | null> {
  const [row] = await em.getConnection().execute<{ at: Date | null }[]>(`select min(send_after) as at from campaign_recipients where campaign_id = ? and status = 'deferred'`, [campaignId]);
  return row?.at ? new Date(row.at) : null;
}

/** The A/B remainder gets the winning variant and becomes due. */
export async function releaseHeld(em: EntityManager, campaignId: string, variant: string): Promise<void> {
  await em.getConnection().execute(`update campaign_recipients set status = 'pending', variant = ? where campaign_id = ? and status = 'held'`, [variant, campaignId]);
}

/** Per test variant: recipients sent, and those who replied / clicked. */
export async function variantRates(em: EntityManager, campaignId: string): Promise<{ variant: string; sent: number; replied: number; clicked: number }[]> {
  const rows = await em.getConnection().execute<{ variant: string; sent: string; replied: string; clicked: string }[]>(
    `select variant, count(*) as sent, count(replied_at) as replied, count(clicked_at) as clicked
       from campaign_recipients where campaign_id = ? and variant is not null and status in ('sent', 'delivered', 'read') group by variant order by variant`,
    [campaignId],
  );
  return rows.map((r) => ({ variant: r.variant, sent: Number(r.sent), replied: Number(r.replied), clicked: Number(r.clicked) }));
}

/** How long after a campaign message a contact's message counts as its reply. */
export const REPLY_ATTRIBUTION_DAYS = 7;

/**
 * A contact wrote in a conversation: the latest campaign message sent there in the last 7 days
 * gets its first reply time. Returns that campaign's id (the inbound message carries it), or null.
 */
export async function attributeReply(em: EntityManager, conversationId: string, at: Date): Promise<string | null> {
  const [row] = await em.getConnection().execute<{ campaign_id: string }[]>(
    `update campaign_recipients set replied_at = coalesce(replied_at, ?)
      where id = (select id from campaign_recipients where conversation_id = ? and sent_at is not null and sent_at > ?::timestamptz - interval '${REPLY_ATTRIBUTION_DAYS} days' and sent_at <= ?
                   order by sent_at desc limit 1)
      returning campaign_id`,
    [at, conversationId, at, at],
  );
  return row?.campaign_id ?? null;
}
