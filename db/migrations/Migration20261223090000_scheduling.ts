import { Migration } from '@mikro-orm/migrations';

/**
 * Appointments: locations, services, staff, resources, availability exceptions, appointments,
 * their holds and calendar busy blocks. btree_gist lets one GiST exclusion constraint combine
 * equality (assignee, seat) with range overlap (during): PostgreSQL itself refuses a second
 * active hold of the same seat of the same staff member or resource at an overlapping time.
 */
export class Migration20261223090000_scheduling extends Migration {
  override name = 'Migration20261223090000_scheduling';

  override up(): void {
    this.addSql(`create extension if not exists btree_gist;`);

    this.addSql(`create table "locations" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" text not null, "timezone" varchar(255) not null, "address" text not null default '', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "locations_tenant_id_index" on "locations" ("tenant_id");`);
    this.addSql(`alter table "locations" add constraint "locations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`create table "services" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "location_id" uuid not null, "name" text not null, "description" text not null default '', "duration_minutes" int not null, "buffer_before_minutes" int not null default 0, "buffer_after_minutes" int not null default 0, "price_cents" int null, "currency" varchar(3) not null default 'EUR', "capacity" int not null default 1, "slot_interval_minutes" int not null default 30, "min_notice_minutes" int not null default 0, "max_horizon_days" int not null default 90, "staff_ids" jsonb not null default '[]', "resource_ids" jsonb not null default '[]', "active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "services" add constraint "services_numbers_check" check ("duration_minutes" > 0 and "capacity" >= 1 and "slot_interval_minutes" > 0 and "buffer_before_minutes" >= 0 and "buffer_after_minutes" >= 0);`);
    this.addSql(`create index "services_tenant_id_index" on "services" ("tenant_id");`);
    this.addSql(`alter table "services" add constraint "services_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "services" add constraint "services_location_id_foreign" foreign key ("location_id") references "locations" ("id") on delete cascade;`);

    this.addSql(`create table "staff_members" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "location_id" uuid not null, "name" text not null, "email" varchar(255) null, "user_id" uuid null, "weekly_hours" jsonb not null default '{}', "active" boolean not null default true, "caldav" jsonb null, "ics_feed_token" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "staff_members" add constraint "staff_members_ics_feed_token_unique" unique ("ics_feed_token");`);
    this.addSql(`create index "staff_members_tenant_id_index" on "staff_members" ("tenant_id");`);
    this.addSql(`alter table "staff_members" add constraint "staff_members_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "staff_members" add constraint "staff_members_location_id_foreign" foreign key ("location_id") references "locations" ("id") on delete cascade;`);

    this.addSql(`create table "resources" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "location_id" uuid not null, "name" text not null, "kind" text not null default 'other', "weekly_hours" jsonb not null default '{}', "active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "resources" add constraint "resources_kind_check" check ("kind" in ('room', 'table', 'chair', 'other'));`);
    this.addSql(`create index "resources_tenant_id_index" on "resources" ("tenant_id");`);
    this.addSql(`alter table "resources" add constraint "resources_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "resources" add constraint "resources_location_id_foreign" foreign key ("location_id") references "locations" ("id") on delete cascade;`);

    this.addSql(`create table "availability_exceptions" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "location_id" uuid null, "staff_id" uuid null, "resource_id" uuid null, "date" varchar(10) not null, "closed" boolean not null default true, "hours" jsonb not null default '[]', "reason" text not null default '', "created_at" timestamptz not null default now(), primary key ("id"));`);
    // Exactly one owner: a whole location (holiday), a staff member or a resource.
    this.addSql(`alter table "availability_exceptions" add constraint "availability_exceptions_owner_check" check (num_nonnulls("location_id", "staff_id", "resource_id") = 1);`);
    this.addSql(`create index "availability_exceptions_tenant_id_date_index" on "availability_exceptions" ("tenant_id", "date");`);
    this.addSql(`alter table "availability_exceptions" add constraint "availability_exceptions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "availability_exceptions" add constraint "availability_exceptions_location_id_foreign" foreign key ("location_id") references "locations" ("id") on delete cascade;`);
    this.addSql(`alter table "availability_exceptions" add constraint "availability_exceptions_staff_id_foreign" foreign key ("staff_id") references "staff_members" ("id") on delete cascade;`);
    this.addSql(`alter table "availability_exceptions" add constraint "availability_exceptions_resource_id_foreign" foreign key ("resource_id") references "resources" ("id") on delete cascade;`);

    this.addSql(`create table "appointments" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "service_id" uuid not null, "location_id" uuid not null, "staff_id" uuid null, "resource_id" uuid null, "contact_id" uuid null, "conversation_id" uuid null, "channel" varchar(255) null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "status" text not null default 'booked', "customer_name" text not null, "customer_email" varchar(255) null, "customer_phone" varchar(255) null, "customer_timezone" varchar(255) null, "notes" text not null default '', "source" text not null, "series_id" uuid null, "recurrence_rule" text null, "idempotency_key" varchar(255) null, "calendar_event_uid" varchar(255) null, "calendar_event_href" text null, "calendar_event_etag" varchar(255) null, "cancelled_at" timestamptz null, "cancel_reason" text null, "cancelled_by" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "appointments" add constraint "appointments_status_check" check ("status" in ('booked', 'confirmed', 'cancelled', 'completed', 'no_show'));`);
    this.addSql(`alter table "appointments" add constraint "appointments_source_check" check ("source" in ('api', 'page', 'flow', 'llm', 'console', 'calendar'));`);
    this.addSql(`alter table "appointments" add constraint "appointments_cancelled_by_check" check ("cancelled_by" in ('customer', 'staff', 'calendar', 'system'));`);
    this.addSql(`alter table "appointments" add constraint "appointments_time_check" check ("ends_at" > "starts_at");`);
    this.addSql(`create unique index "appointments_tenant_id_idempotency_key_unique" on "appointments" ("tenant_id", "idempotency_key") where "idempotency_key" is not null;`);
    // The list (by start, keyset on (starts_at, id)) and the calendar view per staff member.
    this.addSql(`create index "appointments_tenant_id_starts_at_id_index" on "appointments" ("tenant_id", "starts_at", "id");`);
    this.addSql(`create index "appointments_staff_id_starts_at_index" on "appointments" ("staff_id", "starts_at");`);
    this.addSql(`create index "appointments_contact_id_index" on "appointments" ("contact_id") where "contact_id" is not null;`);
    this.addSql(`create index "appointments_series_id_index" on "appointments" ("series_id") where "series_id" is not null;`);
    this.addSql(`alter table "appointments" add constraint "appointments_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "appointments" add constraint "appointments_service_id_foreign" foreign key ("service_id") references "services" ("id");`);
    this.addSql(`alter table "appointments" add constraint "appointments_location_id_foreign" foreign key ("location_id") references "locations" ("id");`);
    this.addSql(`alter table "appointments" add constraint "appointments_staff_id_foreign" foreign key ("staff_id") references "staff_members" ("id");`);
    this.addSql(`alter table "appointments" add constraint "appointments_resource_id_foreign" foreign key ("resource_id") references "resources" ("id");`);
    this.addSql(`alter table "appointments" add constraint "appointments_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "appointments" add constraint "appointments_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete set null;`);

    this.addSql(`create table "appointment_holds" ("id" uuid not null default gen_random_uuid(), "appointment_id" uuid not null, "tenant_id" uuid not null, "service_id" uuid not null, "assignee_id" uuid not null, "seat" int not null, "during" tstzrange not null, "active" boolean not null default true, primary key ("id"));`);
    this.addSql(`alter table "appointment_holds" add constraint "appointment_holds_seat_check" check ("seat" >= 1 and not isempty("during"));`);
    // The rule of the whole feature: one seat of one assignee is never held twice at once.
    // Its GiST index also serves availability's "holds of these assignees in this range".
    this.addSql(`alter table "appointment_holds" add constraint "appointment_holds_no_overlap" exclude using gist ("assignee_id" with =, "seat" with =, "during" with &&) where ("active");`);
    this.addSql(`create index "appointment_holds_appointment_id_index" on "appointment_holds" ("appointment_id");`);
    // Availability reads the holds of a list of assignees from a date on (= any() is a btree
    // matter: GiST cannot search an array), past bookings left behind by the index order.
    this.addSql(`create index "appointment_holds_assignee_id_upper_during_index" on "appointment_holds" ("assignee_id", upper("during")) where "active";`);
    this.addSql(`alter table "appointment_holds" add constraint "appointment_holds_service_id_foreign" foreign key ("service_id") references "services" ("id");`);
    this.addSql(`alter table "appointment_holds" add constraint "appointment_holds_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "appointment_holds" add constraint "appointment_holds_appointment_id_foreign" foreign key ("appointment_id") references "appointments" ("id") on delete cascade;`);

    this.addSql(`create table "calendar_busy_blocks" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "staff_id" uuid not null, "uid" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "summary" text not null default '', "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "calendar_busy_blocks" add constraint "calendar_busy_blocks_staff_id_uid_starts_at_unique" unique ("staff_id", "uid", "starts_at");`);
    this.addSql(`create index "calendar_busy_blocks_staff_id_starts_at_index" on "calendar_busy_blocks" ("staff_id", "starts_at");`);
    this.addSql(`alter table "calendar_busy_blocks" add constraint "calendar_busy_blocks_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "calendar_busy_blocks" add constraint "calendar_busy_blocks_staff_id_foreign" foreign key ("staff_id") references "staff_members" ("id") on delete cascade;`);
  }

  override down(): void {
    for (const t of ['calendar_busy_blocks', 'appointment_holds', 'appointments', 'availability_exceptions', 'resources', 'staff_members', 'services', 'locations']) this.addSql(`drop table if exists "${t}" cascade;`);
  }
}
