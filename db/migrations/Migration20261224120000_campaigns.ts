import { Migration } from '@mikro-orm/migrations';

/**
 * Campaigns: the campaign, its materialized recipients (one row per contact, unique idempotency
 * key, so a retried or restarted send reaches a contact at most once) and tracked link clicks.
 */
export class Migration20261224120000_campaigns extends Migration {
  override name = 'Migration20261224120000_campaigns';

  override up(): void {
    this.addSql(`create table "campaigns" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" text not null, "status" text not null default 'draft', "brief" jsonb null, "variants" jsonb not null default '[]', "channels" text[] not null default '{}', "channel_ids" jsonb not null default '{}', "segment_id" uuid null, "audience_filter" jsonb null, "flow_id" uuid null, "send_at" timestamptz null, "timezone" varchar(255) null, "quiet_hours" jsonb null, "rate_per_second" jsonb not null default '{}', "ab_test" jsonb null, "winner_variant" varchar(255) null, "created_by" varchar(255) null, "submitted_by" varchar(255) null, "submitted_at" timestamptz null, "approved_by" varchar(255) null, "approved_at" timestamptz null, "changes_requested" jsonb null, "workflow_id" varchar(255) null, "started_at" timestamptz null, "completed_at" timestamptz null, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_status_check" check ("status" in ('draft', 'generating', 'awaiting_approval', 'changes_requested', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed'));`);
    this.addSql(`create index "campaigns_tenant_id_created_at_index" on "campaigns" ("tenant_id", "created_at");`);
    // The calendar: scheduled campaigns by send time.
    this.addSql(`create index "campaigns_tenant_id_send_at_index" on "campaigns" ("tenant_id", "send_at") where "send_at" is not null;`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_flow_id_foreign" foreign key ("flow_id") references "flows" ("id") on delete set null;`);

    this.addSql(`create table "campaign_recipients" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "campaign_id" uuid not null, "contact_id" uuid not null, "channel" text null, "channel_id" uuid null, "address" varchar(255) null, "variant" varchar(255) null, "status" text not null default 'pending', "skip_reason" text null, "idempotency_key" varchar(255) not null, "conversation_id" uuid null, "message_id" uuid null, "error" text null, "send_after" timestamptz null, "sent_at" timestamptz null, "delivered_at" timestamptz null, "read_at" timestamptz null, "failed_at" timestamptz null, "replied_at" timestamptz null, "clicked_at" timestamptz null, "opted_out_at" timestamptz null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_channel_check" check ("channel" in ('sms', 'whatsapp', 'email', 'messenger'));`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_status_check" check ("status" in ('pending', 'deferred', 'held', 'sent', 'delivered', 'read', 'failed', 'skipped', 'cancelled'));`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_skip_reason_check" check ("skip_reason" in ('no_consent', 'no_address', 'opted_out'));`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_idempotency_key_unique" unique ("idempotency_key");`);
    // One row per contact and campaign, whatever channel materialization picked on a retried page.
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_campaign_id_contact_id_unique" unique ("campaign_id", "contact_id");`);
    this.addSql(`create index "campaign_recipients_campaign_id_status_index" on "campaign_recipients" ("campaign_id", "status");`);
    this.addSql(`create index "campaign_recipients_campaign_id_id_index" on "campaign_recipients" ("campaign_id", "id");`);
    this.addSql(`create index "campaign_recipients_conversation_id_index" on "campaign_recipients" ("conversation_id") where "conversation_id" is not null;`);
    this.addSql(`create index "campaign_recipients_message_id_index" on "campaign_recipients" ("message_id") where "message_id" is not null;`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete cascade;`);

    // Provider receipts land on the message (applyDeliveryStatus); its recipient follows, whichever path wrote the status.
    this.addSql(`create or replace function campaign_recipient_receipt() returns trigger language plpgsql as $$
      begin
        update campaign_recipients set
          status = case when new.status in ('delivered', 'read', 'failed') then new.status else status end,
          delivered_at = case when new.status in ('delivered', 'read') then coalesce(delivered_at, now()) else delivered_at end,
          read_at = case when new.status = 'read' then coalesce(read_at, now()) else read_at end,
          failed_at = case when new.status = 'failed' then coalesce(failed_at, now()) else failed_at end,
          error = case when new.status = 'failed' then coalesce(new.error, error) else error end
        where message_id = new.id and status in ('sent', 'delivered', 'read');
        return new;
      end $$;`);
    this.addSql(`create trigger "messages_campaign_receipt" after update of "status" on "messages" for each row when (new.source = 'campaign' and new.status is distinct from old.status) execute function campaign_recipient_receipt();`);

    this.addSql(`create table "campaign_link_clicks" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "campaign_id" uuid not null, "recipient_id" uuid not null, "url" text not null, "clicked_at" timestamptz not null default now(), "user_agent" text null, primary key ("id"));`);
    this.addSql(`create index "campaign_link_clicks_campaign_id_index" on "campaign_link_clicks" ("campaign_id");`);
    this.addSql(`create index "campaign_link_clicks_recipient_id_index" on "campaign_link_clicks" ("recipient_id");`);
    this.addSql(`alter table "campaign_link_clicks" add constraint "campaign_link_clicks_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "campaign_link_clicks" add constraint "campaign_link_clicks_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_link_clicks" add constraint "campaign_link_clicks_recipient_id_foreign" foreign key ("recipient_id") references "campaign_recipients" ("id") on delete cascade;`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists "messages_campaign_receipt" on "messages";`);
    this.addSql(`drop function if exists campaign_recipient_receipt();`);
    this.addSql(`drop table if exists "campaign_link_clicks" cascade;`);
    this.addSql(`drop table if exists "campaign_recipients" cascade;`);
    this.addSql(`drop table if exists "campaigns" cascade;`);
  }
}
