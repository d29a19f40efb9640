import { Migration } from '@mikro-orm/migrations';

/** Outbound webhooks: subscriptions, deliveries (the dead-letter queue is `status = 'dead'`) and the attempt log. */
export class Migration20261222090000_webhooks extends Migration {
  override name = 'Migration20261222090000_webhooks';

  override up(): void {
    this.addSql(`create table "webhook_subscriptions" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "url" text not null, "event_types" jsonb not null, "description" text not null default '', "secret_encrypted" text not null, "enabled" boolean not null default true, "disabled_reason" text null, "consecutive_dead" int not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "webhook_subscriptions_tenant_id_index" on "webhook_subscriptions" ("tenant_id");`);
    this.addSql(`alter table "webhook_subscriptions" add constraint "webhook_subscriptions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`create table "webhook_deliveries" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "subscription_id" uuid not null, "event_id" uuid not null, "event_type" varchar(255) not null, "event_at" timestamptz not null, "order_key" varchar(255) null, "payload" jsonb not null default '{}', "status" text not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "claimed_at" timestamptz null, "last_status_code" int null, "last_latency_ms" int null, "last_error" text null, "last_response_excerpt" text null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_status_check" check ("status" in ('pending', 'delivering', 'succeeded', 'dead'));`);
    this.addSql(`create index "webhook_deliveries_tenant_id_status_created_at_index" on "webhook_deliveries" ("tenant_id", "status", "created_at");`);
    // The chain of one (subscription, conversation): its head is the earliest unfinished delivery.
    this.addSql(`create index "webhook_deliveries_subscription_id_order_key_event_at_index" on "webhook_deliveries" ("subscription_id", "order_key", "event_at");`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_subscription_id_foreign" foreign key ("subscription_id") references "webhook_subscriptions" ("id") on delete cascade;`);

    this.addSql(`create table "webhook_attempts" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "delivery_id" uuid not null, "attempt" int not null, "status_code" int null, "latency_ms" int not null, "response_excerpt" text null, "error" text null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "webhook_attempts_delivery_id_index" on "webhook_attempts" ("delivery_id");`);
    this.addSql(`alter table "webhook_attempts" add constraint "webhook_attempts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "webhook_attempts" add constraint "webhook_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on delete cascade;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "webhook_attempts";`);
    this.addSql(`drop table if exists "webhook_deliveries";`);
    this.addSql(`drop table if exists "webhook_subscriptions";`);
  }
}
