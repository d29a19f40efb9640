import { Migration } from '@mikro-orm/migrations';

/**
 * Retention and erasure read by age and by conversation: the indexes the retention workflow's
 * batches (db/repos/retention.ts) and a contact's erasure (db/repos/contact-privacy.ts) use, so a
 * daily run over a large tenant does not scan whole tables.
 */
export class Migration20261226140000_retention extends Migration {
  override name = 'Migration20261226140000_retention';

  override up(): void {
    this.addSql(`create index if not exists "media_assets_tenant_id_created_at_index" on "media_assets" ("tenant_id", "created_at");`);
    this.addSql(`create index if not exists "documents_tenant_id_updated_at_index" on "documents" ("tenant_id", "updated_at");`);
    this.addSql(`create index if not exists "events_tenant_id_created_at_index" on "events" ("tenant_id", "created_at");`);
    this.addSql(`create index if not exists "webhook_deliveries_tenant_id_created_at_index" on "webhook_deliveries" ("tenant_id", "created_at");`);
    this.addSql(`create index if not exists "inbound_messages_conversation_id_index" on "inbound_messages" ("conversation_id") where "conversation_id" is not null;`);
    this.addSql(`create index if not exists "inbound_messages_tenant_id_created_at_index" on "inbound_messages" ("tenant_id", "created_at");`);
  }

  override down(): void {
    this.addSql(`drop index if exists "media_assets_tenant_id_created_at_index";`);
    this.addSql(`drop index if exists "documents_tenant_id_updated_at_index";`);
    this.addSql(`drop index if exists "events_tenant_id_created_at_index";`);
    this.addSql(`drop index if exists "webhook_deliveries_tenant_id_created_at_index";`);
    this.addSql(`drop index if exists "inbound_messages_conversation_id_index";`);
    this.addSql(`drop index if exists "inbound_messages_tenant_id_created_at_index";`);
  }
}
