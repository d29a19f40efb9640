import { Migration } from '@mikro-orm/migrations';

/** Generated from the entities by the Migrator; the trigger at the end is hand-written. */
export class Migration20261123112858_initial extends Migration {

  override name = 'Migration20261123112858_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "tenants" ("id" uuid not null default gen_random_uuid(), "slug" varchar(64) not null, "name" varchar(255) not null, "settings" jsonb not null default '{}', "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "tenants" add constraint "tenants_slug_unique" unique ("slug");`);

    this.addSql(`create table "flows" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" varchar(255) not null, "description" text null, "draft" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "flows_tenant_id_index" on "flows" ("tenant_id");`);

    this.addSql(`create table "flow_versions" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "flow_id" uuid not null, "version" int not null, "graph" jsonb not null, "note" text null, "published_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "flow_versions_tenant_id_index" on "flow_versions" ("tenant_id");`);
    this.addSql(`alter table "flow_versions" add constraint "flow_versions_flow_id_version_unique" unique ("flow_id", "version");`);

    this.addSql(`create table "events" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "type" varchar(255) not null, "workflow_id" varchar(255) not null, "data" jsonb not null default '{}', "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "events_tenant_id_type_created_at_index" on "events" ("tenant_id", "type", "created_at");`);

    this.addSql(`create table "contacts" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "channel" varchar(255) not null, "external_id" varchar(255) null, "name" varchar(255) null, "email" varchar(255) null, "phone" varchar(255) null, "attributes" jsonb not null default '{}', "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "contacts" add constraint "contacts_tenant_id_channel_external_id_unique" unique ("tenant_id", "channel", "external_id");`);

    this.addSql(`create table "conversations" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "flow_id" uuid not null, "flow_version" int not null, "contact_id" uuid null, "channel" varchar(255) not null, "status" text not null default 'bot', "workflow_id" varchar(255) not null, "variables" jsonb not null default '{}', "current_node_id" varchar(255) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "last_message_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "conversations_flow_id_index" on "conversations" ("flow_id");`);
    this.addSql(`create index "conversations_contact_id_index" on "conversations" ("contact_id");`);
    this.addSql(`alter table "conversations" add constraint "conversations_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`create index "conversations_tenant_id_status_last_message_at_index" on "conversations" ("tenant_id", "status", "last_message_at");`);
    this.addSql(`create index "conversations_tenant_id_last_message_at_index" on "conversations" ("tenant_id", "last_message_at");`);
    this.addSql(`alter table "conversations" add constraint "conversations_status_check" check ("status" in ('bot', 'waiting', 'human', 'closed'));`);

    this.addSql(`create table "messages" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "conversation_id" uuid not null, "direction" text not null, "author" text not null, "text" text not null, "node_id" varchar(255) null, "source" varchar(255) null, "idempotency_key" varchar(255) not null, "external_id" varchar(255) null, "prompt_tokens" int not null default 0, "completion_tokens" int not null default 0, "cost_usd" numeric(14,8) not null default 0, "model" varchar(255) null, "citations" jsonb null, "metadata" jsonb not null default '{}', "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "messages" add constraint "messages_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "messages_conversation_id_created_at_id_index" on "messages" ("conversation_id", "created_at", "id");`);
    this.addSql(`create index "messages_tenant_id_created_at_index" on "messages" ("tenant_id", "created_at");`);
    this.addSql(`alter table "messages" add constraint "messages_direction_check" check ("direction" in ('in', 'out'));`);
    this.addSql(`alter table "messages" add constraint "messages_author_check" check ("author" in ('contact', 'bot', 'agent', 'system'));`);

    this.addSql(`create table "llm_calls" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "workflow_id" varchar(255) not null, "conversation_id" uuid null, "node_id" varchar(255) not null, "provider" varchar(255) not null, "model" varchar(255) not null, "prompt_tokens" int not null default 0, "completion_tokens" int not null default 0, "cost_usd" numeric(14,8) not null default 0, "latency_ms" int not null, "ok" boolean not null, "error" text null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "llm_calls_conversation_id_index" on "llm_calls" ("conversation_id");`);
    this.addSql(`create index "llm_calls_tenant_id_created_at_index" on "llm_calls" ("tenant_id", "created_at");`);

    this.addSql(`create table "api_keys" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" varchar(255) not null, "prefix" varchar(16) not null, "hash" varchar(64) not null, "created_at" timestamptz not null default now(), "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "api_keys_tenant_id_index" on "api_keys" ("tenant_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_hash_unique" unique ("hash");`);

    this.addSql(`alter table "flows" add constraint "flows_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`alter table "flow_versions" add constraint "flow_versions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "flow_versions" add constraint "flow_versions_flow_id_foreign" foreign key ("flow_id") references "flows" ("id");`);

    this.addSql(`alter table "events" add constraint "events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`alter table "contacts" add constraint "contacts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`alter table "conversations" add constraint "conversations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "conversations" add constraint "conversations_flow_id_foreign" foreign key ("flow_id") references "flows" ("id");`);
    this.addSql(`alter table "conversations" add constraint "conversations_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);

    this.addSql(`alter table "messages" add constraint "messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "messages" add constraint "messages_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id");`);

    this.addSql(`alter table "llm_calls" add constraint "llm_calls_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "llm_calls" add constraint "llm_calls_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete set null;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    // Published flow versions are immutable: running workflows are pinned to them.
    this.addSql(`create function "flow_versions_immutable"() returns trigger language plpgsql as $$
      begin
        raise exception 'flow version % of flow % is published and immutable', old.version, old.flow_id
          using errcode = 'integrity_constraint_violation';
      end $$;`);
    this.addSql(`create trigger "flow_versions_no_update" before update on "flow_versions" for each row execute function "flow_versions_immutable"();`);
  }

  override down(): void | Promise<void> {
    for (const table of ['api_keys', 'llm_calls', 'messages', 'conversations', 'contacts', 'events', 'flow_versions', 'flows', 'tenants']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
    this.addSql(`drop function if exists "flow_versions_immutable"();`);
  }

}
