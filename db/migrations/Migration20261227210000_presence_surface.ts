import { Migration } from '@mikro-orm/migrations';

/**
 * The presence grader's surface: `presence_share_links` (a read-only link to one audit's report,
 * revocable: the token is the row id and its HMAC, and a revoked row opens nothing) and
 * `presence_leads` (an audit asked for on the public grader page: who asked, for which site, the
 * contact it made, and whether the report was mailed — claimed by one sender).
 */
export class Migration20261227210000_presence_surface extends Migration {
  override name = 'Migration20261227210000_presence_surface';

  override up(): void {
    this.addSql(`create table "presence_share_links" (
      "id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null references "tenants" ("id"), "audit_id" uuid not null references "presence_audits" ("id") on delete cascade,
      "created_by" uuid null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "presence_share_links_audit_index" on "presence_share_links" ("tenant_id", "audit_id");`);
    this.addSql(`create table "presence_leads" (
      "id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null references "tenants" ("id"), "audit_id" uuid not null references "presence_audits" ("id") on delete cascade,
      "contact_id" uuid null references "contacts" ("id") on delete set null, "site_host" text not null,
      "status" text not null default 'auditing', "detail" text null,
      "created_at" timestamptz not null default now(), "mailed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "presence_leads_tenant_created_index" on "presence_leads" ("tenant_id", "created_at" desc);`);
  }

  override down(): void {
    this.addSql(`drop table if exists "presence_leads";`);
    this.addSql(`drop table if exists "presence_share_links";`);
  }
}
