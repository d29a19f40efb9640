import { Migration } from '@mikro-orm/migrations';

/**
 * Presence audits: one row per audit of a business's web presence, tenant-scoped. The workflow
 * writes its stage while it runs and the report (checks with evidence, category scores,
 * recommendations) when it ends; the overall score and grade are columns too, so a site's
 * history of grades reads without opening reports.
 */
export class Migration20261227200000_presence_audits extends Migration {
  override name = 'Migration20261227200000_presence_audits';

  override up(): void {
    this.addSql(`create table "presence_audits" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "url" text not null, "profiles" jsonb not null default '{}', "brand_voice_id" uuid null, "workflow_id" text not null, "status" text not null default 'running', "stage" text not null default 'queued', "overall" int null, "grade" text null, "report" jsonb null, "error" text null, "created_by" varchar(255) null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "presence_audits" add constraint "presence_audits_status_check" check ("status" in ('running', 'completed', 'failed'));`);
    this.addSql(`alter table "presence_audits" add constraint "presence_audits_grade_check" check ("grade" in ('A', 'B', 'C', 'D', 'F'));`);
    this.addSql(`alter table "presence_audits" add constraint "presence_audits_overall_check" check ("overall" between 0 and 100);`);
    this.addSql(`create index "presence_audits_tenant_id_created_at_index" on "presence_audits" ("tenant_id", "created_at" desc, "id" desc);`);
    this.addSql(`create index "presence_audits_tenant_id_url_created_at_index" on "presence_audits" ("tenant_id", "url", "created_at" desc);`);
    this.addSql(`alter table "presence_audits" add constraint "presence_audits_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "presence_audits" add constraint "presence_audits_brand_voice_id_foreign" foreign key ("brand_voice_id") references "brand_voices" ("id") on delete set null;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "presence_audits" cascade;`);
  }
}
