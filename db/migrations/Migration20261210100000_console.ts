import { Migration } from '@mikro-orm/migrations';

/**
 * The console: users with roles, their sessions, canned responses for the inbox, test
 * conversations ("Try it" on a draft) and who published a flow version.
 */
export class Migration20261210100000_console extends Migration {

  override name = 'Migration20261210100000_console';

  override up(): void | Promise<void> {
    this.addSql(`create table "users" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "email" varchar(320) not null, "name" varchar(200) not null, "role" text not null, "password_hash" text not null, "disabled" boolean not null default false, "last_login_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('admin', 'builder', 'agent', 'viewer'));`);
    // Emails are stored lower-cased; one account per email in a tenant.
    this.addSql(`alter table "users" add constraint "users_tenant_id_email_unique" unique ("tenant_id", "email");`);
    this.addSql(`alter table "users" add constraint "users_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`create table "sessions" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "user_id" uuid not null, "token_hash" varchar(64) not null, "csrf_token" varchar(64) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "sessions" add constraint "sessions_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);
    this.addSql(`alter table "sessions" add constraint "sessions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`create table "canned_responses" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "shortcut" varchar(64) not null, "text" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "canned_responses" add constraint "canned_responses_tenant_id_shortcut_unique" unique ("tenant_id", "shortcut");`);
    this.addSql(`alter table "canned_responses" add constraint "canned_responses_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    // Test conversations run a draft graph (kept here so a closed one can start again) and stay
    // out of lists and counts; assigned_agent is who took the conversation over.
    this.addSql(`alter table "conversations" add column "is_test" boolean not null default false, add column "test_graph" jsonb null, add column "assigned_agent" varchar(200) null;`);
    this.addSql(`create index "conversations_tenant_id_is_test_last_message_at_index" on "conversations" ("tenant_id", "is_test", "last_message_at");`);

    this.addSql(`alter table "flow_versions" add column "created_by" varchar(320) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "flow_versions" drop column "created_by";`);
    this.addSql(`drop index if exists "conversations_tenant_id_is_test_last_message_at_index";`);
    this.addSql(`alter table "conversations" drop column "is_test", drop column "test_graph", drop column "assigned_agent";`);
    for (const table of ['canned_responses', 'sessions', 'users']) this.addSql(`drop table if exists "${table}" cascade;`);
  }

}
