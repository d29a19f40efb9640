import { Migration } from '@mikro-orm/migrations';

/**
 * CSAT: the ratings `csat` nodes collect (one row per rating, cascading with its conversation and
 * contact), and their rollup columns in `analytics_hourly` (count, score sum, satisfied count).
 */
export class Migration20261226090000_csat extends Migration {
  override name = 'Migration20261226090000_csat';

  override up(): void {
    this.addSql(`create table "csat_responses" (
      "id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "conversation_id" uuid not null, "contact_id" uuid null,
      "flow_id" uuid not null, "flow_version" int not null, "node_id" varchar(255) not null, "channel" varchar(255) not null,
      "scale" text check ("scale" in ('five', 'thumbs')) not null, "score" smallint not null check ("score" between 1 and 5),
      "answer" text not null, "comment" text null, "idempotency_key" text not null, "created_at" timestamptz not null default now(),
      primary key ("id"));`);
    this.addSql(`alter table "csat_responses" add constraint "csat_responses_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`);
    this.addSql(`create index "csat_responses_conversation_id_index" on "csat_responses" ("conversation_id");`);
    this.addSql(`create index "csat_responses_contact_id_index" on "csat_responses" ("contact_id");`);
    this.addSql(`create index "csat_responses_tenant_id_created_at_index" on "csat_responses" ("tenant_id", "created_at");`);
    this.addSql(`create index "csat_responses_created_at_index" on "csat_responses" ("created_at");`);
    this.addSql(`alter table "csat_responses" add constraint "csat_responses_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "csat_responses" add constraint "csat_responses_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "csat_responses" add constraint "csat_responses_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete cascade;`);
    this.addSql(`alter table "analytics_hourly" add column "csat_responses" int not null default 0, add column "csat_score_sum" int not null default 0, add column "csat_satisfied" int not null default 0;`);
  }

  override down(): void {
    this.addSql(`alter table "analytics_hourly" drop column if exists "csat_responses", drop column if exists "csat_score_sum", drop column if exists "csat_satisfied";`);
    this.addSql(`drop table if exists "csat_responses";`);
  }
}
