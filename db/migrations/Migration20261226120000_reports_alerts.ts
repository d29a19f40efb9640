import { Migration } from '@mikro-orm/migrations';

/**
 * Weekly reports and alerts: `report_sends` makes a scheduled report go out once per scheduled
 * time (keyed by its workflow id); `alert_rules` are a tenant's thresholds; `alert_events` their
 * firings, at most one open per rule (a partial unique index), with what was notified.
 */
export class Migration20261226120000_reports_alerts extends Migration {
  override name = 'Migration20261226120000_reports_alerts';

  override up(): void {
    this.addSql(`create table "report_sends" (
      "id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null references "tenants" ("id"), "key" text not null,
      "status" text not null default 'sending', "recipients" jsonb not null default '[]', "sent_at" timestamptz null,
      "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create unique index "report_sends_tenant_key_unique" on "report_sends" ("tenant_id", "key");`);
    this.addSql(`create table "alert_rules" (
      "id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null references "tenants" ("id"), "name" text not null,
      "metric" text not null, "comparison" text not null, "threshold" double precision not null, "window_minutes" int not null,
      "channel" text null, "flow_id" uuid null references "flows" ("id") on delete cascade,
      "notify_admins" boolean not null default true, "webhook_url" text null, "webhook_secret_encrypted" text null,
      "cooldown_minutes" int not null default 60, "enabled" boolean not null default true,
      "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "alert_rules_tenant_id_index" on "alert_rules" ("tenant_id");`);
    this.addSql(`create table "alert_events" (
      "id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null references "tenants" ("id"),
      "rule_id" uuid not null references "alert_rules" ("id") on delete cascade, "status" text not null default 'firing',
      "value" double precision not null, "threshold" double precision not null, "last_value" double precision null,
      "fired_at" timestamptz not null default now(), "resolved_at" timestamptz null, "resolved_value" double precision null,
      "notified" jsonb not null default '{}', primary key ("id"));`);
    this.addSql(`create index "alert_events_tenant_fired_index" on "alert_events" ("tenant_id", "fired_at" desc);`);
    this.addSql(`create unique index "alert_events_one_open_per_rule" on "alert_events" ("rule_id") where "status" = 'firing';`);
    this.addSql(`create index "webhook_deliveries_dead_index" on "webhook_deliveries" ("tenant_id", "completed_at") where "status" = 'dead';`);
  }

  override down(): void {
    this.addSql(`drop index if exists "webhook_deliveries_dead_index";`);
    this.addSql(`drop table if exists "alert_events";`);
    this.addSql(`drop table if exists "alert_rules";`);
    this.addSql(`drop table if exists "report_sends";`);
  }
}
