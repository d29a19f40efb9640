import { Migration } from '@mikro-orm/migrations';

/** Outbound calls placed by a flow carry the node's key: a retried activity finds its call instead of placing a second. */
export class Migration20261227100001_call_keys extends Migration {
  override name = 'Migration20261227100001_call_keys';

  override up(): void {
    this.addSql(`alter table "calls" add column "idempotency_key" text null;`);
    this.addSql(`alter table "calls" add constraint "calls_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`);
  }

  override down(): void {
    this.addSql(`alter table "calls" drop column if exists "idempotency_key";`);
  }
}
