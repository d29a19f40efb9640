import { Migration } from '@mikro-orm/migrations';

/**
 * Flow drop-off rollups (db/repos/analytics-nodes-rollup.ts): per tenant × UTC hour × channel ×
 * flow × version, one row per node (conversations that reached it, ended at it, were handed off at
 * it, failed turns at it) and one per edge (conversations that followed it). Like
 * `analytics_hourly` they hold counts only, no contact's data, and are rewritten from the events.
 */
export class Migration20261226110000_analytics_nodes extends Migration {
  override name = 'Migration20261226110000_analytics_nodes';

  override up(): void {
    this.addSql(`create table "analytics_node_hourly" (
      "tenant_id" uuid not null, "hour" timestamptz not null, "channel" text not null, "flow_id" uuid not null, "flow_version" int not null, "node_id" text not null,
      "reached" int not null default 0, "ended" int not null default 0, "handed_off" int not null default 0, "failed" int not null default 0,
      primary key ("tenant_id", "flow_id", "hour", "channel", "flow_version", "node_id"));`);
    this.addSql(`create index "analytics_node_hourly_hour_index" on "analytics_node_hourly" ("hour");`);
    this.addSql(`alter table "analytics_node_hourly" add constraint "analytics_node_hourly_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`create table "analytics_edge_hourly" (
      "tenant_id" uuid not null, "hour" timestamptz not null, "channel" text not null, "flow_id" uuid not null, "flow_version" int not null, "edge_id" text not null,
      "followed" int not null default 0,
      primary key ("tenant_id", "flow_id", "hour", "channel", "flow_version", "edge_id"));`);
    this.addSql(`create index "analytics_edge_hourly_hour_index" on "analytics_edge_hourly" ("hour");`);
    this.addSql(`alter table "analytics_edge_hourly" add constraint "analytics_edge_hourly_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    // The per-campaign dashboard lists a range's campaigns by start.
    this.addSql(`create index "campaigns_tenant_id_started_at_index" on "campaigns" ("tenant_id", "started_at") where "started_at" is not null;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "analytics_node_hourly";`);
    this.addSql(`drop table if exists "analytics_edge_hourly";`);
    this.addSql(`drop index if exists "campaigns_tenant_id_started_at_index";`);
  }
}
