import { Migration } from '@mikro-orm/migrations';

/**
 * Campaign content: brand voices (at most one default per tenant, held by a partial unique
 * index) and the WhatsApp templates submitted for a channel, one per (channel, name, language)
 * as Meta keys them.
 */
export class Migration20261224110000_content extends Migration {
  override name = 'Migration20261224110000_content';

  override up(): void {
    this.addSql(`create table "brand_voices" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" text not null, "tone" text not null default '', "use_words" text[] not null default '{}', "avoid_words" text[] not null default '{}', "examples" text[] not null default '{}', "emoji_policy" varchar(255) not null default 'sparingly', "language" varchar(20) not null default 'en', "is_default" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "brand_voices" add constraint "brand_voices_emoji_policy_check" check ("emoji_policy" in ('none', 'sparingly', 'freely'));`);
    this.addSql(`create index "brand_voices_tenant_id_name_index" on "brand_voices" ("tenant_id", "name");`);
    this.addSql(`create unique index "brand_voices_tenant_id_default_unique" on "brand_voices" ("tenant_id") where "is_default";`);
    this.addSql(`alter table "brand_voices" add constraint "brand_voices_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`create table "whatsapp_templates" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "channel_id" uuid not null, "name" varchar(512) not null, "language" varchar(15) not null, "category" varchar(255) not null, "body" text not null, "parameter_count" int not null default 0, "status" varchar(255) not null default 'PENDING', "rejected_reason" text null, "provider_template_id" varchar(255) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "whatsapp_templates" add constraint "whatsapp_templates_category_check" check ("category" in ('MARKETING', 'UTILITY'));`);
    this.addSql(`alter table "whatsapp_templates" add constraint "whatsapp_templates_status_check" check ("status" in ('PENDING', 'APPROVED', 'REJECTED', 'PAUSED', 'DISABLED'));`);
    this.addSql(`alter table "whatsapp_templates" add constraint "whatsapp_templates_channel_id_name_language_unique" unique ("channel_id", "name", "language");`);
    this.addSql(`create index "whatsapp_templates_tenant_id_index" on "whatsapp_templates" ("tenant_id");`);
    // The status webhook names the template by Meta's id.
    this.addSql(`create index "whatsapp_templates_provider_template_id_index" on "whatsapp_templates" ("provider_template_id") where "provider_template_id" is not null;`);
    this.addSql(`alter table "whatsapp_templates" add constraint "whatsapp_templates_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "whatsapp_templates" add constraint "whatsapp_templates_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete cascade;`);

    // Meta's template reviews arrive on the WhatsApp webhook and queue like receipts.
    this.addSql(`alter table "inbound_messages" drop constraint "inbound_messages_kind_check";`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_kind_check" check ("kind" in ('message', 'status', 'amend', 'template'));`);
  }

  override down(): void {
    this.addSql(`delete from "inbound_messages" where "kind" = 'template';`);
    this.addSql(`alter table "inbound_messages" drop constraint "inbound_messages_kind_check";`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_kind_check" check ("kind" in ('message', 'status', 'amend'));`);
    this.addSql(`drop table if exists "whatsapp_templates" cascade;`);
    this.addSql(`drop table if exists "brand_voices" cascade;`);
  }
}
