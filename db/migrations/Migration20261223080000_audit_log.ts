import { Migration } from '@mikro-orm/migrations';

/** The audit log: one row per management action, append-only (updates and deletes are refused). */
export class Migration20261223080000_audit_log extends Migration {
  override name = 'Migration20261223080000_audit_log';

  override up(): void {
    this.addSql(`create table "audit_log" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "actor_kind" text not null, "actor_label" text not null, "user_id" uuid null, "role" text not null, "scope" text null, "action" text not null, "method" text not null, "route" text not null, "path" text not null, "target_type" text null, "target_id" text null, "status_code" int not null, "changes" jsonb not null, "ip" text not null, "user_agent" text null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "audit_log_tenant_id_created_at_id_index" on "audit_log" ("tenant_id", "created_at", "id");`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    // Append-only, whoever connects: a log its subjects can edit proves nothing.
    this.addSql(`create function "audit_log_append_only"() returns trigger language plpgsql as $$
      begin
        raise exception 'the audit log is append-only: % refused', tg_op;
      end $$;`);
    this.addSql(`create trigger "audit_log_no_change" before update or delete on "audit_log" for each row execute function "audit_log_append_only"();`);
    this.addSql(`create trigger "audit_log_no_truncate" before truncate on "audit_log" for each statement execute function "audit_log_append_only"();`);
  }

  override down(): void {
    this.addSql(`drop table if exists "audit_log";`);
    this.addSql(`drop function if exists "audit_log_append_only"();`);
  }
}
