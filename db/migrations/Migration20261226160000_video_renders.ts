import { Migration } from '@mikro-orm/migrations';

/**
 * Talking-avatar renders: voice profiles, avatars and renders, all tenant-scoped. A render is
 * unique per (tenant, cache key): the same request finds the same row, which is what makes a
 * cached render free. A personalized render references its contact and goes with it.
 */
export class Migration20261226160000_video_renders extends Migration {
  override name = 'Migration20261226160000_video_renders';

  override up(): void {
    this.addSql(`create table "voice_profiles" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" text not null, "provider" text not null, "voice_id" text not null, "model_id" text null, "settings" jsonb not null default '{}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "voice_profiles" add constraint "voice_profiles_provider_check" check ("provider" in ('elevenlabs', 'espeak'));`);
    this.addSql(`create index "voice_profiles_tenant_id_index" on "voice_profiles" ("tenant_id");`);
    this.addSql(`alter table "voice_profiles" add constraint "voice_profiles_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`create table "avatars" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" text not null, "image_key" text null, "image_content_type" varchar(255) null, "image_width" int null, "image_height" int null, "image_sha256" varchar(64) null, "presenter_id" text null, "voice_profile_id" uuid null, "background" varchar(7) not null default '#ffffff', "aspect_ratio" text not null default '16:9', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "avatars" add constraint "avatars_aspect_ratio_check" check ("aspect_ratio" in ('16:9', '9:16', '1:1'));`);
    this.addSql(`alter table "avatars" add constraint "avatars_source_check" check (("image_key" is null) <> ("presenter_id" is null));`);
    this.addSql(`create index "avatars_tenant_id_index" on "avatars" ("tenant_id");`);
    this.addSql(`alter table "avatars" add constraint "avatars_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "avatars" add constraint "avatars_voice_profile_id_foreign" foreign key ("voice_profile_id") references "voice_profiles" ("id") on delete set null;`);

    this.addSql(`create table "video_renders" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "cache_key" varchar(64) not null, "attempt" int not null default 1, "workflow_id" text not null, "status" text not null default 'running', "stage" text not null default 'queued', "title" text not null default '', "script" text not null, "voice_profile_id" uuid null, "avatar_id" uuid null, "contact_id" uuid null, "settings" jsonb not null default '{}', "provider" text not null, "provider_request_key" varchar(255) null, "provider_job_id" varchar(255) null, "speech_key" text null, "duration_sec" double precision null, "cost" jsonb not null default '{}', "outputs" jsonb null, "error" text null, "error_class" text null, "created_by" varchar(255) null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "video_renders" add constraint "video_renders_status_check" check ("status" in ('running', 'completed', 'failed', 'canceled'));`);
    this.addSql(`alter table "video_renders" add constraint "video_renders_provider_check" check ("provider" in ('d-id', 'offline'));`);
    this.addSql(`alter table "video_renders" add constraint "video_renders_tenant_id_cache_key_unique" unique ("tenant_id", "cache_key");`);
    this.addSql(`create index "video_renders_tenant_id_created_at_index" on "video_renders" ("tenant_id", "created_at" desc);`);
    this.addSql(`alter table "video_renders" add constraint "video_renders_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "video_renders" add constraint "video_renders_voice_profile_id_foreign" foreign key ("voice_profile_id") references "voice_profiles" ("id") on delete set null;`);
    this.addSql(`alter table "video_renders" add constraint "video_renders_avatar_id_foreign" foreign key ("avatar_id") references "avatars" ("id") on delete set null;`);
    this.addSql(`alter table "video_renders" add constraint "video_renders_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete cascade;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "video_renders" cascade;`);
    this.addSql(`drop table if exists "avatars" cascade;`);
    this.addSql(`drop table if exists "voice_profiles" cascade;`);
  }
}
