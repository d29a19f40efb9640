import { Migration } from '@mikro-orm/migrations';

/**
 * Phone calls (issue 10): one row per call, inbound or outbound, written by the `ivrCall` workflow
 * (status, the path of nodes, duration, recordings) and by `POST /v1/calls` (an outbound call is a
 * row before Twilio gives it a CallSid). The transcript lives in the conversation's messages.
 */
export class Migration20261227100000_calls extends Migration {
  override name = 'Migration20261227100000_calls';

  override up(): void {
    this.addSql(`create table "calls" (
      "id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "channel_id" uuid null, "call_sid" varchar(64) null,
      "direction" text check ("direction" in ('inbound', 'outbound')) not null, "from_number" text not null, "to_number" text not null,
      "status" text check ("status" in ('queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled')) not null default 'queued',
      "answered_by" text null, "machine_detection" text null, "contact_id" uuid null, "conversation_id" uuid null, "workflow_id" text null,
      "flow_id" uuid null, "flow_version" int null, "variables" jsonb not null default '{}', "path" jsonb not null default '[]',
      "current_node_id" text null, "recording_keys" jsonb not null default '[]', "duration_seconds" int null, "error" text null,
      "started_at" timestamptz null, "ended_at" timestamptz null,
      "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(),
      primary key ("id"));`);
    this.addSql(`alter table "calls" add constraint "calls_tenant_id_call_sid_unique" unique ("tenant_id", "call_sid");`);
    this.addSql(`create index "calls_tenant_id_created_at_index" on "calls" ("tenant_id", "created_at");`);
    this.addSql(`create index "calls_conversation_id_index" on "calls" ("conversation_id");`);
    this.addSql(`create index "calls_contact_id_index" on "calls" ("contact_id");`);
    this.addSql(`alter table "calls" add constraint "calls_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "calls" add constraint "calls_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete set null;`);
    this.addSql(`alter table "calls" add constraint "calls_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "calls" add constraint "calls_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete set null;`);
    this.addSql(`alter table "calls" add constraint "calls_flow_id_foreign" foreign key ("flow_id") references "flows" ("id") on delete set null;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "calls";`);
  }
}
