import { Migration } from '@mikro-orm/migrations';

/**
 * Channels: configured provider connections, the durable inbound log (deduplicated per channel),
 * downloaded media, delivery status on messages, and conversation routing by (channel, thread).
 */
export class Migration20261210110000_channels extends Migration {

  override name = 'Migration20261210110000_channels';

  override up(): void | Promise<void> {
    this.addSql(`create table "channels" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "type" varchar(32) not null, "name" varchar(255) not null, "flow_id" uuid null, "credentials_encrypted" text null, "credential_fields" jsonb not null default '[]', "settings" jsonb not null default '{}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "channels_tenant_id_index" on "channels" ("tenant_id");`);
    this.addSql(`alter table "channels" add constraint "channels_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "channels" add constraint "channels_flow_id_foreign" foreign key ("flow_id") references "flows" ("id") on delete set null;`);

    this.addSql(`create table "inbound_messages" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "channel_id" uuid not null, "external_id" varchar(255) not null, "kind" text not null, "payload" jsonb not null, "status" text not null default 'pending', "attempts" int not null default 0, "error" text null, "conversation_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_channel_id_external_id_unique" unique ("channel_id", "external_id");`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_kind_check" check ("kind" in ('message', 'status'));`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_status_check" check ("status" in ('pending', 'dispatched', 'failed'));`);
    // The sweeper's scan: only undispatched rows, oldest first.
    this.addSql(`create index "inbound_messages_pending_index" on "inbound_messages" ("updated_at") where "status" = 'pending';`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete cascade;`);

    this.addSql(`create table "media_assets" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "channel_id" uuid null, "conversation_id" uuid null, "message_external_id" varchar(255) null, "ref" text not null, "content_type" varchar(255) not null, "name" varchar(255) null, "byte_size" int not null, "sha256" varchar(64) not null, "content" bytea not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "media_assets_tenant_id_index" on "media_assets" ("tenant_id");`);
    this.addSql(`create index "media_assets_conversation_id_index" on "media_assets" ("conversation_id");`);
    this.addSql(`create unique index "media_assets_channel_message_ref_unique" on "media_assets" ("channel_id", "message_external_id", "ref");`);
    this.addSql(`alter table "media_assets" add constraint "media_assets_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "media_assets" add constraint "media_assets_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete set null;`);

    this.addSql(`alter table "messages" add column "channel_id" uuid null, add column "status" varchar(16) null, add column "error" text null;`);
    // A provider id names one message per channel: inbound retries and status receipts find it.
    this.addSql(`create unique index "messages_channel_id_external_id_unique" on "messages" ("channel_id", "external_id") where "channel_id" is not null and "external_id" is not null;`);
    this.addSql(`alter table "messages" add constraint "messages_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete set null;`);

    this.addSql(`alter table "conversations" add column "channel_id" uuid null, add column "thread_key" varchar(255) null, add column "thread" jsonb not null default '{}', add column "last_inbound_at" timestamptz null;`);
    // At most one open conversation per (channel, thread): concurrent first messages race to one row.
    this.addSql(`create unique index "conversations_open_thread_unique" on "conversations" ("channel_id", "thread_key") where "channel_id" is not null and "status" <> 'closed';`);
    this.addSql(`alter table "conversations" add constraint "conversations_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "conversations_open_thread_unique";`);
    this.addSql(`alter table "conversations" drop column if exists "channel_id", drop column if exists "thread_key", drop column if exists "thread", drop column if exists "last_inbound_at";`);
    this.addSql(`drop index if exists "messages_channel_id_external_id_unique";`);
    this.addSql(`alter table "messages" drop column if exists "channel_id", drop column if exists "status", drop column if exists "error";`);
    for (const table of ['media_assets', 'inbound_messages', 'channels']) this.addSql(`drop table if exists "${table}" cascade;`);
  }

}
