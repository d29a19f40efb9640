import { Migration } from '@mikro-orm/migrations';

/**
 * A conversation's webhook deliveries are ordered by the events' own sequence (`event_seq`, µs
 * stamped where the event was emitted), then by creation: the order rows were created in was the
 * order the sink handed events over, which BullMQ does not keep when it runs several jobs at once,
 * and events stored by the sink and by the message activity raced. Existing rows take their
 * `chain_seq` as their sequence: open chains keep their order and come before every new event.
 */
export class Migration20261230090000_webhook_event_seq extends Migration {
  override name = 'Migration20261230090000_webhook_event_seq';

  override up(): void {
    this.addSql(`alter table "webhook_deliveries" add column "event_seq" bigint null;`);
    this.addSql(`update "webhook_deliveries" set "event_seq" = "chain_seq";`);
    this.addSql(`alter table "webhook_deliveries" alter column "event_seq" set not null;`);
    this.addSql(`drop index if exists "webhook_deliveries_subscription_id_order_key_chain_seq_index";`);
    this.addSql(`create index "webhook_deliveries_chain_order_index" on "webhook_deliveries" ("subscription_id", "order_key", "event_seq", "chain_seq");`);
  }

  override down(): void {
    this.addSql(`drop index if exists "webhook_deliveries_chain_order_index";`);
    this.addSql(`create index "webhook_deliveries_subscription_id_order_key_chain_seq_index" on "webhook_deliveries" ("subscription_id", "order_key", "chain_seq");`);
    this.addSql(`alter table "webhook_deliveries" drop column "event_seq";`);
  }
}
