import { Migration } from '@mikro-orm/migrations';

/**
 * Quotas: the operator's limits per tenant (a JSON map of quota → limit, 0 = unlimited; a quota not
 * in it takes the configured default), the month's and day's usage written from Redis so a Redis
 * restart does not reset a period, and the 80 %/100 % notices already sent (one per period each).
 */
export class Migration20261226130000_quotas extends Migration {
  override name = 'Migration20261226130000_quotas';

  override up(): void {
    this.addSql(`create table "tenant_quotas" ("tenant_id" uuid not null primary key references "tenants" ("id") on delete cascade, "limits" jsonb not null default '{}', "updated_by" text not null, "updated_at" timestamptz not null default now());`);
    this.addSql(`create table "quota_usage" ("tenant_id" uuid not null references "tenants" ("id") on delete cascade, "quota" text not null, "period" text not null, "used" bigint not null default 0, "updated_at" timestamptz not null default now(), primary key ("tenant_id", "quota", "period"));`);
    this.addSql(`create table "quota_notices" ("tenant_id" uuid not null references "tenants" ("id") on delete cascade, "quota" text not null, "period" text not null, "level" text not null, "used" bigint not null, "quota_limit" bigint not null, "sent_at" timestamptz not null default now(), primary key ("tenant_id", "quota", "period", "level"));`);
  }

  override down(): void {
    this.addSql(`drop table if exists "quota_notices";`);
    this.addSql(`drop table if exists "quota_usage";`);
    this.addSql(`drop table if exists "tenant_quotas";`);
  }
}
