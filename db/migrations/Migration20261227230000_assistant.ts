import { Migration } from '@mikro-orm/migrations';

/**
 * The marketing assistant: a flow of kind `assistant` per tenant (kept out of the flow list and
 * the builder; at most one per tenant), and each console user's assistant conversation.
 */
export class Migration20261227230000_assistant extends Migration {
  override name = 'Migration20261227230000_assistant';

  override up(): void {
    this.addSql(`alter table "flows" add column if not exists "kind" varchar(16) not null default 'flow';`);
    this.addSql(`alter table "flows" add constraint "flows_kind_check" check ("kind" in ('flow', 'assistant'));`);
    this.addSql(`create unique index if not exists "flows_tenant_id_assistant_unique" on "flows" ("tenant_id") where "kind" = 'assistant';`);
    this.addSql(`create table if not exists "assistant_sessions" (
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "user_key" varchar(255) not null,
      "conversation_id" uuid not null references "conversations" ("id") on delete cascade,
      "created_at" timestamptz not null default now(),
      primary key ("tenant_id", "user_key"));`);
    this.addSql(`create index if not exists "assistant_sessions_conversation_id_index" on "assistant_sessions" ("conversation_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "assistant_sessions";`);
    this.addSql(`drop index if exists "flows_tenant_id_assistant_unique";`);
    this.addSql(`alter table "flows" drop constraint if exists "flows_kind_check";`);
    this.addSql(`alter table "flows" drop column if exists "kind";`);
  }
}
