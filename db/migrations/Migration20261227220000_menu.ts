import { Migration } from '@mikro-orm/migrations';

/**
 * Menu engineering: items (category, price and food cost in cents), units sold per item per day,
 * promotions proposed from the matrix, and the tenant's point-of-sale connection (Square; the
 * access token encrypted at rest). `item_key` is how an import knows an item again (`sku:…`,
 * `square:<variation id>`, `name:<category>/<name>`), so a re-import updates instead of
 * duplicating; a day's sales are one row per item and day, replaced by the next import of that day.
 */
export class Migration20261227220000_menu extends Migration {
  override name = 'Migration20261227220000_menu';

  override up(): void {
    this.addSql(`create table "menu_items" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "item_key" varchar(300) not null, "name" varchar(200) not null, "category" varchar(100) not null, "price_cents" integer not null check ("price_cents" >= 0), "food_cost_cents" integer null check ("food_cost_cents" >= 0), "currency" varchar(3) not null default 'USD', "source" varchar(16) not null check ("source" in ('csv', 'square', 'manual')), "external_id" varchar(200) null, "active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "menu_items" add constraint "menu_items_tenant_id_item_key_unique" unique ("tenant_id", "item_key");`);
    this.addSql(`alter table "menu_items" add constraint "menu_items_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`create table "menu_sales" ("tenant_id" uuid not null, "item_id" uuid not null, "day" date not null, "quantity" numeric(12,3) not null check ("quantity" >= 0), "revenue_cents" bigint not null default 0, "source" varchar(16) not null, "updated_at" timestamptz not null default now(), primary key ("item_id", "day"));`);
    this.addSql(`create index "menu_sales_tenant_id_day_index" on "menu_sales" ("tenant_id", "day");`);
    this.addSql(`alter table "menu_sales" add constraint "menu_sales_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "menu_sales" add constraint "menu_sales_item_id_foreign" foreign key ("item_id") references "menu_items" ("id") on delete cascade;`);

    this.addSql(`create table "menu_promotions" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "kind" varchar(16) not null check ("kind" in ('puzzle', 'slow_day')), "status" varchar(16) not null default 'proposed' check ("status" in ('proposed', 'accepted', 'dismissed')), "title" varchar(300) not null, "item_ids" jsonb not null default '[]', "weekday" smallint null check ("weekday" between 0 and 6), "offer" text not null, "rationale" jsonb not null default '[]', "facts" jsonb not null default '[]', "copy" jsonb not null default '{}', "copy_by" varchar(200) not null, "copy_notes" jsonb not null default '[]', "period_from" date not null, "period_to" date not null, "campaign_id" uuid null, "created_at" timestamptz not null default now(), "decided_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "menu_promotions_tenant_id_created_at_index" on "menu_promotions" ("tenant_id", "created_at");`);
    this.addSql(`alter table "menu_promotions" add constraint "menu_promotions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "menu_promotions" add constraint "menu_promotions_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on delete set null;`);

    this.addSql(`create table "menu_pos_connections" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "provider" varchar(16) not null check ("provider" in ('square')), "access_token_encrypted" text not null, "location_ids" jsonb not null default '[]', "currency" varchar(3) null, "last_synced_at" timestamptz null, "last_sync" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "menu_pos_connections" add constraint "menu_pos_connections_tenant_id_provider_unique" unique ("tenant_id", "provider");`);
    this.addSql(`alter table "menu_pos_connections" add constraint "menu_pos_connections_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "menu_pos_connections";`);
    this.addSql(`drop table if exists "menu_promotions";`);
    this.addSql(`drop table if exists "menu_sales";`);
    this.addSql(`drop table if exists "menu_items";`);
  }
}
