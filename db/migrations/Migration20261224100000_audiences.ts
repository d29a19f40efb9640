import { Migration } from '@mikro-orm/migrations';

/**
 * Audiences for campaigns: contacts gain names, tags, zone, locale, the Messenger address, the
 * time they last wrote and an import key; per-channel consent; segments (saved filters).
 */
export class Migration20261224100000_audiences extends Migration {
  override name = 'Migration20261224100000_audiences';

  override up(): void {
    this.addSql(`alter table "contacts"
      add column "first_name" text null, add column "last_name" text null,
      add column "messenger_psid" text null,
      add column "tags" text[] not null default '{}',
      add column "timezone" text null, add column "locale" text null,
      add column "last_seen_at" timestamptz null,
      add column "import_key" text null;`);
    this.addSql(`create index "contacts_tags_index" on "contacts" using gin ("tags");`);
    this.addSql(`create unique index "contacts_tenant_id_import_key_unique" on "contacts" ("tenant_id", "import_key") where "import_key" is not null;`);
    // Keyset pages of a tenant's audience, and the channel-created contact that is an existing one by phone or email.
    this.addSql(`create index "contacts_tenant_id_id_index" on "contacts" ("tenant_id", "id");`);
    this.addSql(`create index "contacts_tenant_id_phone_index" on "contacts" ("tenant_id", "phone") where "phone" is not null;`);
    this.addSql(`create index "contacts_tenant_id_email_index" on "contacts" ("tenant_id", "email") where "email" is not null;`);
    this.addSql(`update "contacts" set "email" = lower("email") where "email" <> lower("email");`);
    this.addSql(`update "contacts" set "messenger_psid" = "external_id" where "channel" = 'messenger' and "external_id" is not null;`);
    this.addSql(`update "contacts" c set "last_seen_at" = m."at"
      from (select cv."contact_id", max(m."created_at") as "at" from "messages" m join "conversations" cv on cv."id" = m."conversation_id"
            where m."author" = 'contact' and cv."contact_id" is not null group by cv."contact_id") m
      where m."contact_id" = c."id";`);

    this.addSql(`create table "contact_consents" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "contact_id" uuid not null,
      "channel" text not null, "status" text not null, "method" text not null, "source" text null,
      "opted_in_at" timestamptz null, "opted_out_at" timestamptz null, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "contact_consents" add constraint "contact_consents_channel_check" check ("channel" in ('sms', 'whatsapp', 'email', 'messenger'));`);
    this.addSql(`alter table "contact_consents" add constraint "contact_consents_status_check" check ("status" in ('opted_in', 'opted_out'));`);
    this.addSql(`alter table "contact_consents" add constraint "contact_consents_method_check" check ("method" in ('import', 'console', 'api', 'form', 'keyword', 'provider', 'unsubscribe-link', 'list-unsubscribe'));`);
    this.addSql(`alter table "contact_consents" add constraint "contact_consents_contact_id_channel_unique" unique ("contact_id", "channel");`);
    this.addSql(`create index "contact_consents_tenant_id_index" on "contact_consents" ("tenant_id");`);
    this.addSql(`alter table "contact_consents" add constraint "contact_consents_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "contact_consents" add constraint "contact_consents_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete cascade;`);

    this.addSql(`create table "segments" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" text not null, "description" text null,
      "filter" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "segments_tenant_id_index" on "segments" ("tenant_id");`);
    this.addSql(`alter table "segments" add constraint "segments_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "segments";`);
    this.addSql(`drop table if exists "contact_consents";`);
    this.addSql(`drop index if exists "contacts_tenant_id_import_key_unique";`);
    this.addSql(`drop index if exists "contacts_tenant_id_id_index";`);
    this.addSql(`drop index if exists "contacts_tenant_id_phone_index";`);
    this.addSql(`drop index if exists "contacts_tenant_id_email_index";`);
    this.addSql(`alter table "contacts" drop column "first_name", drop column "last_name", drop column "messenger_psid", drop column "tags",
      drop column "timezone", drop column "locale", drop column "last_seen_at", drop column "import_key";`);
  }
}
