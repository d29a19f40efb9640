import { Migration } from '@mikro-orm/migrations';

/**
 * Analytics rollups: one row per tenant × UTC hour × channel × flow, rewritten by the rollup job
 * (db/repos/analytics-rollup.ts). The indexes let the job read one window of recent rows of every
 * tenant, and find a conversation's handoff and close events without scanning the tenant's events.
 */
export class Migration20261224140000_analytics extends Migration {
  override name = 'Migration20261224140000_analytics';

  override up(): void {
    this.addSql(`create table "analytics_hourly" (
      "tenant_id" uuid not null, "hour" timestamptz not null, "channel" text not null, "flow_id" uuid not null,
      "conversations" int not null default 0, "messages_in" int not null default 0, "messages_out" int not null default 0,
      "handoffs" int not null default 0, "closed" int not null default 0, "closed_without_human" int not null default 0,
      "first_response_ms_sum" bigint not null default 0, "first_response_count" int not null default 0,
      "time_to_human_ms_sum" bigint not null default 0, "time_to_human_count" int not null default 0,
      "prompt_tokens" bigint not null default 0, "completion_tokens" bigint not null default 0, "cost_usd" numeric(18,8) not null default 0,
      "errors" int not null default 0,
      primary key ("tenant_id", "hour", "channel", "flow_id"));`);
    this.addSql(`create index "analytics_hourly_hour_index" on "analytics_hourly" ("hour");`);
    this.addSql(`alter table "analytics_hourly" add constraint "analytics_hourly_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`create index "messages_created_at_index" on "messages" ("created_at");`);
    this.addSql(`create index "conversations_created_at_index" on "conversations" ("created_at");`);
    this.addSql(`create index "events_created_at_index" on "events" ("created_at");`);
    this.addSql(`create index "events_conversation_index" on "events" ("tenant_id", (("data"->>'conversationId')), "type", "created_at");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "analytics_hourly";`);
    this.addSql(`drop index if exists "messages_created_at_index";`);
    this.addSql(`drop index if exists "conversations_created_at_index";`);
    this.addSql(`drop index if exists "events_created_at_index";`);
    this.addSql(`drop index if exists "events_conversation_index";`);
  }
}
